package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rulebot/rulebot/record"
)

// redactHelp is the help text of rulebot redact.
const redactHelp = `Scrubs task fixtures as serve --record does: removes the access token, and
replaces people's names, emails, phone numbers and messenger logins with
placeholders. Each FILE is rewritten in place, or written into the folder
--out names.

Placeholders derive from a key, so that the same person gets the same
placeholder in every file scrubbed with it: give the record folder with
--key-dir to match its recordings, or a key file with --key-file. Either
is made on first use. Keep the key out of version control: with it, a
guessed email can be checked against a placeholder.
`

// redactFlags are the options of rulebot redact.
type redactFlags struct {
	keyDir, keyFile, out string
}

func (a *app) redact(_ context.Context, args []string) error {
	fs := a.flags("redact", "(--key-dir DIR | --key-file FILE) [--out DIR] FILE...", redactHelp)
	var f redactFlags
	fs.StringVar(&f.keyDir, "key-dir", "", "use the redaction key of the record folder `DIR`")
	fs.StringVar(&f.keyFile, "key-file", "", "use the redaction key in `FILE`")
	fs.StringVar(&f.out, "out", "", "write the scrubbed files into `DIR` instead of in place")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(files) == 0:
		return usageError{"redact: want at least one FILE (run rulebot redact --help)"}
	case (f.keyDir == "") == (f.keyFile == ""):
		return usageError{"redact: give one of --key-dir DIR and --key-file FILE" +
			" (run rulebot redact --help)"}
	}

	r, err := redactor(f)
	if err != nil {
		return err
	}
	if f.out != "" {
		if err := os.MkdirAll(f.out, 0o755); err != nil {
			return err
		}
	}
	return a.redactFiles(r, files, f.out)
}

// redactor makes the Redactor of the key that the flags name.
func redactor(f redactFlags) (*record.Redactor, error) {
	path := f.keyFile
	if f.keyDir != "" {
		path = record.KeyPath(f.keyDir)
	}
	key, err := record.LoadKey(path)
	if err != nil {
		return nil, err
	}
	return record.NewRedactor(key)
}

// redactFiles scrubs each file and prints the path it wrote; a file that
// fails is reported and the others still done.
func (a *app) redactFiles(r *record.Redactor, files []string, out string) error {
	written := make(map[string]string) // source by destination
	bad := 0
	for _, file := range files {
		dest := file
		if out != "" {
			dest = filepath.Join(out, filepath.Base(file))
		}
		var err error
		if first, dup := written[dest]; dup {
			err = fmt.Errorf("%s: not written to %s, which holds %s", file, dest, first)
		} else {
			err = redactFile(r, file, dest)
		}
		if err != nil {
			fmt.Fprintf(a.stderr, "rulebot: %s\n", oneLine(err.Error()))
			bad++
			continue
		}
		written[dest] = file
		fmt.Fprintln(a.stdout, dest)
	}
	if bad > 0 {
		return failed
	}
	return nil
}

// redactFile scrubs the fixture in file into dest, atomically. A file
// rewritten in place keeps its mode; through a symlink, the file it
// points to is rewritten.
func redactFile(r *record.Redactor, file, dest string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	scrubbed, err := r.Redact(data)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	mode := os.FileMode(0o644)
	if real, err := filepath.EvalSymlinks(dest); err == nil {
		dest = real
		if info, err := os.Stat(dest); err == nil {
			mode = info.Mode().Perm()
		}
	}
	return record.WriteFile(dest, scrubbed, mode)
}
