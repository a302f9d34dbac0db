package record

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestEncodeRoundTrip reads and writes back every fixture: they are
// indented as encode indents, so each comes back byte for byte, with its
// key order and the exact text of its numbers.
func TestEncodeRoundTrip(t *testing.T) {
	paths, err := filepath.Glob("../testdata/tasks/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			n, err := parseObject(data)
			if err != nil {
				t.Fatal(err)
			}
			if got := encode(n); !bytes.Equal(got, data) {
				t.Errorf("written back differently:\n%s", got)
			}
		})
	}
}

func TestEncode(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"compact in, indented out", `{"b":1,"a":[true,null,{}],"c":[]}`,
			"{\n  \"b\": 1,\n  \"a\": [\n    true,\n    null,\n    {}\n  ],\n  \"c\": []\n}\n"},
		{"numbers keep their text", `{"n":1.50,"m":1e3,"big":12345678901234567890}`,
			"{\n  \"n\": 1.50,\n  \"m\": 1e3,\n  \"big\": 12345678901234567890\n}\n"},
		{"no HTML escapes", `{"t":"<a href=\"x\">&amp;</a>"}`,
			"{\n  \"t\": \"<a href=\\\"x\\\">&amp;</a>\"\n}\n"},
		{"escapes that JSON needs", `{"t":"a\\b\n\t\u0001\u2028é"}`,
			"{\n  \"t\": \"a\\\\b\\n\\t\\u0001\\u2028é\"\n}\n"},
		{"escaped text unescaped", `{"t":"\u0410\u043d\u043d\u0430"}`,
			"{\n  \"t\": \"Анна\"\n}\n"},
		{"duplicate keys kept", `{"a":1,"a":2}`, "{\n  \"a\": 1,\n  \"a\": 2\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := parseObject([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			got := encode(n)
			if string(got) != tt.want {
				t.Errorf("encode = %q, want %q", got, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("not valid JSON: %s", got)
			}
		})
	}
}
