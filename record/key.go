package record

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeyFile is the name of the redaction key's file in a record folder.
const KeyFile = ".rulebot-redact-key"

// minKeyLen is the shortest redaction key accepted, in bytes.
const minKeyLen = 16

// KeyPath is the path of the redaction key of the record folder dir.
func KeyPath(dir string) string { return filepath.Join(dir, KeyFile) }

// LoadKey reads the redaction key from the file at path, or, when there is
// no such file, makes a random key and writes it there, readable by its
// owner only. The file holds the key as hex. Whoever has the key can test
// a guess of a person's email against a placeholder, so it stays beside
// the recordings and out of version control.
func LoadKey(path string) ([]byte, error) {
	key, err := readKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	key = make([]byte, 32)
	_, _ = rand.Read(key) // never fails, by its documentation
	err = createKey(path, key)
	if errors.Is(err, fs.ErrExist) {
		return readKey(path) // made by another process just now
	}
	if err != nil {
		return nil, fmt.Errorf("create redaction key: %w", err)
	}
	return key, nil
}

// createKey writes key to a new file at path. The key is written to a
// temporary file first and then linked to path, so that another process
// never reads half a key, and a key that another process made in the
// meantime is never replaced: the link fails instead.
func createKey(path string, key []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())

	_, err = tmp.WriteString(hex.EncodeToString(key) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return err
	}
	return os.Link(tmp.Name(), path)
}

// readKey reads a key file written by LoadKey.
func readKey(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read redaction key: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) < minKeyLen {
		return nil, fmt.Errorf("redaction key %q: want at least %d bytes as hex", path, minKeyLen)
	}
	return key, nil
}
