package record

import (
	"os"
	"path/filepath"
)

// WriteFile writes data to the file at path through a temporary file in
// the same folder that is then renamed over it, so that a reader sees
// the old file or the new one, never part of one. On an error, a full
// disk included, nothing is left behind and the old file stays.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return writeFile(path, data, perm, (*os.File).Write)
}

// writeFile is WriteFile with the write itself given, so that tests can
// make it fail as a full disk does.
func writeFile(
	path string, data []byte, perm os.FileMode,
	write func(*os.File, []byte) (int, error),
) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed

	_, err = write(tmp, data)
	if err == nil {
		err = tmp.Sync()
	}
	if err == nil {
		err = tmp.Chmod(perm)
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
