package reload

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// configMap lays out a Kubernetes ConfigMap volume in dir, as the kubelet
// does: rules.yaml links to ..data/rules.yaml, and ..data links to a
// timestamped folder that an update replaces.
type configMap struct {
	t       *testing.T
	dir     string
	version int
}

func newConfigMap(t *testing.T, dir, content string) *configMap {
	t.Helper()
	c := &configMap{t: t, dir: dir}
	c.update(content)
	if err := os.Symlink("..data/rules.yaml", filepath.Join(dir, "rules.yaml")); err != nil {
		t.Fatal(err)
	}
	return c
}

// update swaps in content the kubelet's way: a new timestamped folder, a
// ..data_tmp link to it renamed over ..data in one step, and the old folder
// removed.
func (c *configMap) update(content string) {
	c.t.Helper()
	old := c.folder()
	c.version++
	if err := os.Mkdir(filepath.Join(c.dir, c.folder()), 0o755); err != nil {
		c.t.Fatal(err)
	}
	writeFile(c.t, filepath.Join(c.dir, c.folder(), "rules.yaml"), content)

	tmp := filepath.Join(c.dir, "..data_tmp")
	if err := os.Symlink(c.folder(), tmp); err != nil {
		c.t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(c.dir, "..data")); err != nil {
		c.t.Fatal(err)
	}
	if c.version > 1 {
		if err := os.RemoveAll(filepath.Join(c.dir, old)); err != nil {
			c.t.Fatal(err)
		}
	}
}

func (c *configMap) folder() string {
	return fmt.Sprintf("..2025_06_01_12_00_%02d.%d", c.version, 1000+c.version)
}

func TestConfigMapSwap(t *testing.T) {
	dir := t.TempDir()
	cm := newConfigMap(t, dir, goodRules("v1"))
	h := start(t, filepath.Join(dir, "rules.yaml"), nil)

	// Each swap moves the folder the file is in; the later ones show that
	// the watch moved along.
	cm.update(goodRules("v2"))
	h.waitRules(goodRules("v2"))
	cm.update(badRules)
	h.waitFailure("unknown field")
	cm.update(goodRules("v3"))
	h.waitRules(goodRules("v3"))
}

func TestResolveTargets(t *testing.T) {
	dir := realDir(t.TempDir())
	mkdir(t, dir, "plain")
	writeFile(t, filepath.Join(dir, "plain", "rules.yaml"), "x")
	newConfigMap(t, mkdir(t, dir, "cm"), "x")
	mkdir(t, dir, "releases")
	mkdir(t, dir, "releases", "r1")
	mkdir(t, dir, "releases", "r1", "config")
	writeFile(t, filepath.Join(dir, "releases", "r1", "config", "rules.yaml"), "x")
	symlink(t, filepath.Join(dir, "releases", "r1"), dir, "current")
	symlink(t, filepath.Join(dir, "current", "config", "rules.yaml"), dir, "abs.yaml")

	cm := filepath.Join(dir, "cm")
	releases := filepath.Join(dir, "releases")
	r1config := filepath.Join(dir, "releases", "r1", "config")
	tests := []struct {
		name, path string
		want       targets
	}{
		{"plain file", "plain/rules.yaml", targets{
			filepath.Join(dir, "plain"): {"rules.yaml": true},
		}},
		{"ConfigMap volume", "cm/rules.yaml", targets{
			cm: {"rules.yaml": true, "..data": true, "..2025_06_01_12_00_01.1001": true},
			filepath.Join(cm, "..2025_06_01_12_00_01.1001"): {"rules.yaml": true},
		}},
		{"symlinked folder above", "current/config/rules.yaml", targets{
			dir:      {"current": true},
			releases: {"r1": true},
			r1config: {"rules.yaml": true},
		}},
		{"absolute link through a symlinked folder", "abs.yaml", targets{
			dir:      {"abs.yaml": true, "current": true},
			releases: {"r1": true},
			r1config: {"rules.yaml": true},
		}},
		{"missing folder", "gone/rules.yaml", targets{
			filepath.Join(dir, "gone"): {"rules.yaml": true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := resolveTargets(filepath.Join(dir, tt.path))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("targets (-want +got):\n%s", diff)
			}
		})
	}
}

func TestResolveTargetsLoop(t *testing.T) {
	dir := realDir(t.TempDir())
	symlink(t, "b.yaml", dir, "a.yaml")
	symlink(t, "a.yaml", dir, "b.yaml")

	got := resolveTargets(filepath.Join(dir, "a.yaml"))
	want := targets{dir: {"a.yaml": true, "b.yaml": true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("targets (-want +got):\n%s", diff)
	}
}

func TestTargetsMatch(t *testing.T) {
	tg := targets{"/m": {"rules.yaml": true, "..data": true}, "/m/..1": {"rules.yaml": true}}
	tests := []struct {
		path string
		want bool
	}{
		{"/m/rules.yaml", true},
		{"/m/..data", true},
		{"/m/..1/rules.yaml", true},
		{"/m/..1", true},
		{"/m/..data_tmp", false},
		{"/m/.rules.yaml.swp", false},
		{"/m/..1/other.yaml", false},
	}
	for _, tt := range tests {
		if got := tg.matches(tt.path); got != tt.want {
			t.Errorf("matches(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func mkdir(t *testing.T, elem ...string) string {
	t.Helper()
	p := filepath.Join(elem...)
	if err := os.Mkdir(p, 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// symlink makes a link named name in dir that points to target.
func symlink(t *testing.T, target, dir, name string) {
	t.Helper()
	if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}
