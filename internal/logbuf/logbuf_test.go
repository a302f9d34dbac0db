package logbuf

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentWrites writes from many goroutines while reading; run with
// -race, it fails if Write and String are not guarded.
func TestConcurrentWrites(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 100 {
				fmt.Fprintf(&b, "writer %d line %d\n", i, j)
				_ = b.String()
			}
		})
	}
	wg.Wait()
	if got := strings.Count(b.String(), "\n"); got != 800 {
		t.Fatalf("lines = %d, want 800", got)
	}
}

func TestRecords(t *testing.T) {
	var b Buffer
	b.Write([]byte(`{"msg":"one","n":1}` + "\n" + `{"msg":"two"}` + "\n"))
	recs, err := b.Records()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0]["msg"] != "one" || recs[0]["n"] != 1.0 || recs[1]["msg"] != "two" {
		t.Fatalf("Records() = %v", recs)
	}

	b.Write([]byte("not json\n"))
	if _, err := b.Records(); err == nil || !strings.Contains(err.Error(), `"not json\n"`) {
		t.Fatalf("Records() on a line that is not JSON: err = %v, want one quoting the line", err)
	}
}
