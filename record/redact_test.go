package record_test

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
	"github.com/rulebot/rulebot/record"
)

var update = flag.Bool("update", false, "rewrite the redacted golden files in testdata/record")

const (
	peopleFixture = "../testdata/record/people.json"
	peopleGolden  = "../testdata/record/people.redacted.json"
	plainRules    = "../testdata/record/rules.yaml" // rules that read no personal data
	exampleRules  = "../rules.example.yaml"
)

// testKey is a fabricated redaction key, so that the golden files hold.
var testKey = []byte("EXAMPLE-redaction-key-0123456789")

var testNow = time.Date(2025, 3, 5, 10, 0, 0, 0, time.UTC)

func newRedactor(t *testing.T) *record.Redactor {
	t.Helper()
	r, err := record.NewRedactor(testKey)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// fixtures are every task fixture of the repository.
func fixtures(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("../testdata/tasks/*.json")
	if err != nil || len(paths) < 10 {
		t.Fatalf("want the fixtures of testdata/tasks, found %d (%v)", len(paths), err)
	}
	return append(paths, peopleFixture)
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func redact(t *testing.T, r *record.Redactor, body []byte) []byte {
	t.Helper()
	out, err := r.Redact(body)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRedactGolden redacts a fixture full of people with a fixed key and
// compares it with its golden file; go test -update rewrites the file.
func TestRedactGolden(t *testing.T) {
	got := redact(t, newRedactor(t), readFile(t, peopleFixture))
	if *update {
		if err := os.WriteFile(peopleGolden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(string(readFile(t, peopleGolden)), string(got)); diff != "" {
		t.Errorf("redacted %s (-want +got):\n%s", peopleFixture, diff)
	}
}

// TestRedactLeavesNoPersonalData looks, in every redacted fixture, for the
// token and for each name, email, phone number and login of the people
// that the webhook decoder finds in the original.
func TestRedactLeavesNoPersonalData(t *testing.T) {
	r := newRedactor(t)
	// What people.json holds in free text only.
	inText := []string{"pickup.desk@example.com", "8 900 000 00 04", "(495) 000-00-05",
		"000-00-06", "+7 900 000-00-09", "cfo@example.com"}
	for _, path := range fixtures(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			body := readFile(t, path)
			out := string(redact(t, r, body))
			secrets := personalData(t, body)
			if path == peopleFixture {
				secrets = append(secrets, inText...)
			}
			for _, s := range secrets {
				if containsWord(out, s) {
					t.Errorf("%q is still in the redacted file", s)
				}
			}
			for _, email := range anyEmail.FindAllString(out, -1) {
				if !placeholderEmail.MatchString(email) {
					t.Errorf("email %q is still in the redacted file", email)
				}
			}
		})
	}
}

var (
	anyEmail         = regexp.MustCompile(`[\w.+-]+@[\w-]+(\.[\w-]+)+`)
	placeholderEmail = regexp.MustCompile(`^person-[0-9a-f]{8}@example\.com$`)
)

// containsWord reports whether s holds word, in any case, not as a part of
// a longer word.
func containsWord(s, word string) bool {
	s, word = strings.ToLower(s), strings.ToLower(word)
	for i := 0; ; {
		j := strings.Index(s[i:], word)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(word)
		before, _ := utf8.DecodeLastRuneInString(s[:start])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		i = start + 1
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// personalData decodes body as the bot does and lists its access token
// and what identifies its people: every name of a person (not of a bot or
// a role), every email, phone and login, the names of channel contacts,
// and the values of email and phone fields.
func personalData(t *testing.T, body []byte) []string {
	t.Helper()
	hook := decode(t, body)
	var out []string
	add := func(ss ...string) {
		for _, s := range ss {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	add(string(hook.AccessToken))
	walk(reflect.ValueOf(hook), func(v any) {
		switch x := v.(type) {
		case *pyrus.Person:
			if x.Type != "bot" && x.Type != "role" {
				add(x.FirstName, x.LastName, x.NativeFirstName, x.NativeLastName)
			}
			add(x.Email, x.Phone, x.MobilePhone, x.Skype, x.Messenger)
		case *pyrus.ChannelContact:
			add(x.Email, x.Name)
		case *pyrus.FormField:
			if s, ok := x.Value.(string); ok && (x.Type == "email" || x.Type == "phone") {
				add(s)
			}
		}
	})
	if len(out) < 3 {
		t.Fatalf("found only %q: the walk misses people", out)
	}
	return out
}

func decode(t *testing.T, body []byte) *pyrus.Webhook {
	t.Helper()
	hook, _, err := pyrus.DecodeWebhook(body, pyrus.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return hook
}

// walk calls f with a pointer to every struct under v.
func walk(v reflect.Value, f func(any)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
		}
		if v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
			f(v.Interface())
		}
		walk(v.Elem(), f)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				walk(v.Field(i), f)
			}
		}
		if v.CanAddr() {
			f(v.Addr().Interface())
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walk(v.Index(i), f)
		}
	}
}

// TestRedactAnswersTheSame runs rules on every fixture before and after
// redaction. Rules that read no personal data give the very same answer;
// the example rules, some of which print names, match the same rules.
func TestRedactAnswersTheSame(t *testing.T) {
	plain, example := loadRules(t, plainRules), loadRules(t, exampleRules)
	r := newRedactor(t)
	for _, path := range fixtures(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			body := readFile(t, path)
			redacted := redact(t, r, body)

			want, got := evaluate(t, plain, body), evaluate(t, plain, redacted)
			if diff := cmp.Diff(want.answer, got.answer); diff != "" {
				t.Errorf("answer (-original +redacted):\n%s", diff)
			}
			want, got = evaluate(t, example, body), evaluate(t, example, redacted)
			if !slices.Equal(want.matched, got.matched) {
				t.Errorf("example rules matched %v before, %v after", want.matched, got.matched)
			}
		})
	}
}

func loadRules(t *testing.T, path string) *engine.RuleSet {
	t.Helper()
	rs, err := engine.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

type outcome struct {
	matched []string
	answer  string
}

func evaluate(t *testing.T, rs *engine.RuleSet, body []byte) outcome {
	t.Helper()
	hook, _, err := pyrus.DecodeWebhook(body, pyrus.DecodeOptions{DateLocation: rs.DateLocation()})
	if err != nil {
		t.Fatal(err)
	}
	res := rs.Evaluate(engine.Input{Webhook: hook, Now: testNow})
	answer, err := res.Body()
	if err != nil {
		t.Fatal(err)
	}
	return outcome{res.Matched, string(answer)}
}

// TestRedactIsStable gives the same person the same placeholders in every
// file, and changes nothing in a file already redacted.
func TestRedactIsStable(t *testing.T) {
	r := newRedactor(t)
	authors := map[string]*pyrus.Person{} // by the original email
	for _, path := range fixtures(t) {
		body := readFile(t, path)
		once := redact(t, r, body)
		if twice := redact(t, r, once); string(twice) != string(once) {
			t.Errorf("%s: a second redaction changed the file:\n%s",
				path, cmp.Diff(string(once), string(twice)))
		}

		before, after := decode(t, body).Task, decode(t, once).Task
		if before == nil || before.Author == nil || before.Author.Email == "" {
			continue
		}
		if seen, ok := authors[before.Author.Email]; ok && *seen != *after.Author {
			t.Errorf("%s: author %+v, in another file %+v", path, after.Author, seen)
		}
		authors[before.Author.Email] = after.Author
	}
	if len(authors) < 3 {
		t.Fatalf("only %d authors compared", len(authors))
	}
}

// TestRedactKeys gives different placeholders under different keys.
func TestRedactKeys(t *testing.T) {
	body := readFile(t, peopleFixture)
	other, err := record.NewRedactor([]byte("EXAMPLE-another-key-0123456789ab"))
	if err != nil {
		t.Fatal(err)
	}
	a, b := decode(t, redact(t, newRedactor(t), body)), decode(t, redact(t, other, body))
	if a.Task.Author.Email == b.Task.Author.Email {
		t.Errorf("both keys give %q", a.Task.Author.Email)
	}
	if _, err := record.NewRedactor([]byte("short")); err == nil {
		t.Error("NewRedactor takes a 5-byte key")
	}
}

// TestStripToken keeps everything but the access token, in either form of
// its key.
func TestStripToken(t *testing.T) {
	for _, name := range []string{"purchase-big.json", "protocol3.json"} {
		t.Run(name, func(t *testing.T) {
			body := readFile(t, filepath.Join("../testdata/tasks", name))
			out, err := record.StripToken(body)
			if err != nil {
				t.Fatal(err)
			}
			want, got := decode(t, body), decode(t, out)
			if got.AccessToken != "" || strings.Contains(string(out), "fake-access-token") {
				t.Errorf("the token is still there:\n%s", out)
			}
			want.AccessToken = ""
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("decoded body (-original +stripped):\n%s", diff)
			}
		})
	}
}

func TestRedactRejects(t *testing.T) {
	tests := []struct {
		name, body, wantErr string
	}{
		{"not JSON", `{"task": `, "not JSON: unexpected EOF"},
		{"an array", `[{"task": {}}]`, "not a JSON object"},
		{"two objects", `{} {}`, "not JSON: more after the end of the object"},
		{"too deep", `{"a":` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}`,
			"not JSON: nested more than 512 levels deep"},
	}
	r := newRedactor(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Redact([]byte(tt.body))
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Redact: %v, want %q", err, tt.wantErr)
			}
			_, err = record.StripToken([]byte(tt.body))
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("StripToken: %v, want %q", err, tt.wantErr)
			}
		})
	}
}
