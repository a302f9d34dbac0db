package record_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rulebot/rulebot/record"
)

// TestLoadKey makes a key on first use, readable by its owner only, and
// reads the same key after.
func TestLoadKey(t *testing.T) {
	path := record.KeyPath(t.TempDir())
	first, err := record.LoadKey(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v; want mode 0600", info.Mode(), err)
	}
	if len(first) != 32 {
		t.Errorf("key of %d bytes, want 32", len(first))
	}
	again, err := record.LoadKey(path)
	if err != nil || !bytes.Equal(first, again) {
		t.Errorf("second LoadKey: %x, %v; want %x", again, err, first)
	}
	if other, _ := record.LoadKey(record.KeyPath(t.TempDir())); bytes.Equal(first, other) {
		t.Error("two folders got the same key")
	}
}

// TestLoadKeyAtOnce has many callers load a new key at once: they all get
// the one key that was written.
func TestLoadKeyAtOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), record.KeyFile)
	keys := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			key, err := record.LoadKey(path)
			if err != nil {
				t.Error(err)
			}
			keys[i] = key
		})
	}
	wg.Wait()
	for _, key := range keys[1:] {
		if !bytes.Equal(key, keys[0]) {
			t.Fatalf("keys differ: %x and %x", keys[0], key)
		}
	}
}

func TestLoadKeyErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		content string
		wantErr string
	}{
		{"not hex", "not a key\n", "want at least 16 bytes as hex"},
		{"too short", "00ff\n", "want at least 16 bytes as hex"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := record.LoadKey(path)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("LoadKey: %v, want %q", err, tt.wantErr)
			}
		})
	}
	_, err := record.LoadKey(filepath.Join(dir, "no-such-folder", record.KeyFile))
	if err == nil || !strings.HasPrefix(err.Error(), "create redaction key: ") {
		t.Errorf("LoadKey in a missing folder: %v", err)
	}
}
