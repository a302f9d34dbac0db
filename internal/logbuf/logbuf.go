// Package logbuf holds a log destination for tests: a server's goroutines
// write log lines to it while the test reads them.
package logbuf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// Buffer is a bytes.Buffer that may be written and read at once.
// The zero value is ready to use.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p, as bytes.Buffer.Write does.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String is everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Records decodes every line written so far as a JSON object, as
// slog.JSONHandler writes them. A line that is not one is an error.
func (b *Buffer) Records() ([]map[string]any, error) {
	var out []map[string]any
	for line := range strings.Lines(b.String()) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			return nil, fmt.Errorf("log line is not a JSON object: %v: %q", err, line)
		}
		out = append(out, rec)
	}
	return out, nil
}
