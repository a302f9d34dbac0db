package reload

import (
	"io/fs"
	"os"
	"path/filepath"
)

// targets are what to watch for one rules file: folders, each with the
// names in it whose change can change what the file reads as. Those are
// the file itself and every symlink on the way to it, such as the
// `..data` link that a Kubernetes ConfigMap volume swaps.
type targets map[string]map[string]bool

// maxLinks bounds the symlinks followed, against loops.
const maxLinks = 40

// resolveTargets finds the targets of the rules file at path, which should
// be absolute. Folders are named as they really are, symlinks resolved, so
// that a swapped link changes the folder watched. A folder that does not
// exist is named anyway: watching it fails, and the periodic check covers.
func resolveTargets(path string) targets {
	r := resolver{t: targets{}, budget: maxLinks}
	r.follow(filepath.Clean(path))
	return r.t
}

type resolver struct {
	t      targets
	budget int // symlinks still allowed
}

// follow adds p, the symlinks among the folders above it, and, when p is a
// symlink, what it points to.
func (r *resolver) follow(p string) {
	dir := filepath.Dir(p)
	r.linkAbove(dir)
	r.t.add(realDir(dir), filepath.Base(p))

	if !isLink(p) || r.budget == 0 {
		return
	}
	r.budget--
	target, err := os.Readlink(p)
	if err != nil {
		return
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(realDir(dir), target)
	}
	r.follow(target)
}

// linkAbove follows the nearest symlink among dir and the folders above
// it; follow takes care of those above that one.
func (r *resolver) linkAbove(dir string) {
	for ; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		if isLink(dir) {
			r.follow(dir)
			return
		}
	}
}

func (t targets) add(dir, name string) {
	if t[dir] == nil {
		t[dir] = map[string]bool{}
	}
	t[dir][name] = true
}

// matches reports whether an event about path may change the rules file:
// it names a target, or a watched folder itself.
func (t targets) matches(path string) bool {
	if _, ok := t[path]; ok {
		return true
	}
	return t[filepath.Dir(path)][filepath.Base(path)]
}

func isLink(p string) bool {
	fi, err := os.Lstat(p)
	return err == nil && fi.Mode()&fs.ModeSymlink != 0
}

// realDir is dir with every symlink resolved, or dir itself when that
// fails.
func realDir(dir string) string {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return dir
	}
	return real
}
