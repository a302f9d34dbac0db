package pyrus

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseAgreesWithEncodingJSON holds the parser to encoding/json.Valid
// on the texts where a lax parser goes wrong. FuzzDecodeWebhook does the
// same on texts it makes up.
func TestParseAgreesWithEncodingJSON(t *testing.T) {
	texts := []string{
		``, ` `, `{}`, ` {} `, "\t{\n}\r\n", `{`, `}`, `{}}`, `{} {}`, `{}x`,
		`[]`, `[1,]`, `[,1]`, `[1 2]`, `{"a":1,}`, `{"a" 1}`, `{"a":}`, `{a:1}`, `{'a':1}`,
		`0`, `-0`, `01`, `-01`, `1.`, `.5`, `1.5`, `1e5`, `1E+5`, `1e`, `1e+`, `-`, `+1`,
		`1.5e-3`, `NaN`, `Infinity`, `0x10`, `1_000`,
		`true`, `tru`, `truex`, `false`, `null`, `nul`, `None`,
		`""`, `"a`, `"\"`, `"\\"`, `"\/"`, `"\x"`, `"\u12"`, `"\u12g4"`, `"\u00e9"`,
		`"\ud800"`, `"\ud83d\ude00"`, "\"\x01\"", "\"\x7f\"", "\"\xff\"", "\"tab\there\"",
		"\xef\xbb\xbf{}", `{"a":[{"b":{"c":[null,true,false,"x",-1.5e2]}}]}`,
		`{"key":"value","key":"again"}`, `{"\u0041":1}`, `{"a\"b":1}`,
		strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth),
	}
	for _, text := range texts {
		err := new(tree).parse([]byte(text))
		if want := json.Valid([]byte(text)); (err == nil) != want {
			t.Errorf("parse(%q) = %v; encoding/json.Valid says %v", text, err, want)
		}
	}
}

func TestParseStopsTooDeep(t *testing.T) {
	deep := strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1)
	if err := new(tree).parse([]byte(deep)); err != errTooDeep {
		t.Errorf("parse of %d nested arrays = %v, want errTooDeep", maxDepth+1, err)
	}
}

func TestParseTree(t *testing.T) {
	tr := new(tree)
	body := ` {"a\u005fb": [1, "x"], "c": {}, "d": null} `
	if err := tr.parse([]byte(body)); err != nil {
		t.Fatal(err)
	}
	root := &tr.nodes[0]
	if root.kind != kindObject || root.count != 3 || string(tr.text(root)) != strings.TrimSpace(body) {
		t.Fatalf("root = %+v", *root)
	}
	var got []string
	for m := tr.child(root, root.self+1); m != nil; m = tr.child(root, m.next) {
		got = append(got, string(tr.memberKey(m))+"="+string(tr.text(m)))
	}
	want := []string{`a_b=[1, "x"]`, `c={}`, `d=null`}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("members = %q, want %q", got, want)
	}
	arr := tr.child(root, root.self+1)
	var elems []string
	for e := tr.child(arr, arr.self+1); e != nil; e = tr.child(arr, e.next) {
		elems = append(elems, e.kind.String())
	}
	if arr.count != 2 || strings.Join(elems, ",") != "a number,a string" {
		t.Errorf("array: count %d, elements %q", arr.count, elems)
	}
}

func TestAppendCompact(t *testing.T) {
	in := " { \"a b\" : [ 1 , \"x \\\" y\" ],\n\t\"c\\\\\" : { } } "
	want := `{"a b":[1,"x \" y"],"c\\":{}}`
	if got := string(appendCompact(nil, []byte(in))); got != want {
		t.Errorf("appendCompact = %s, want %s", got, want)
	}
}

// TestEndsPlain puts every byte at every place of a word of plain bytes:
// endsPlain must see each one that is not plain, whatever is around it.
func TestEndsPlain(t *testing.T) {
	for _, fill := range []byte{'a', ' ', '!', '#', '[', ']', 0x7f, 0x80, 0xc3, 0xff} {
		for c := range 256 {
			for at := range 8 {
				word := bytes.Repeat([]byte{fill}, 8)
				word[at] = byte(c)
				if !plainByte[c] && !endsPlain(binary.LittleEndian.Uint64(word)) {
					t.Fatalf("endsPlain(%q) = false", word)
				}
			}
		}
	}
}

// TestParseLongStrings checks strings long enough to be read a word at a
// time, with what ends the plain run at each place.
func TestParseLongStrings(t *testing.T) {
	for _, end := range []string{`"`, `\"`, `\\`, `\n`, `\u00e9`, "\x01", "\x1f", `\x`, "\xff", "é"} {
		for at := range 20 {
			text := `{"k":"` + strings.Repeat("a", at) + end + strings.Repeat("b", 20-at) + `"}`
			err := new(tree).parse([]byte(text))
			if want := json.Valid([]byte(text)); (err == nil) != want {
				t.Errorf("parse(%q) = %v; encoding/json.Valid says %v", text, err, want)
			}
		}
	}
}

// TestParseIndentation decodes the largest fixture indented by 0 to 20
// spaces, with tabs and carriage returns among them, and at the end: each
// must give what the compact body gives.
func TestParseIndentation(t *testing.T) {
	body := largestFixture(t)
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	compact, _ := json.Marshal(doc)
	want, _, err := DecodeWebhook(compact, DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for width := range 21 {
		for _, odd := range []string{"", "\t", "\r", " \t "} {
			indented, _ := json.MarshalIndent(doc, "", strings.Repeat(" ", width))
			indented = bytes.ReplaceAll(indented, []byte("\n"), []byte("\n"+odd))
			indented = append(indented, "\n"+strings.Repeat(" ", width)+odd+"\n"...)
			got, _, err := DecodeWebhook(indented, DecodeOptions{})
			if err != nil {
				t.Fatalf("indent %d, %q: %v", width, odd, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("indent %d, %q: (-compact +indented)\n%s", width, odd, diff)
			}
		}
	}
}

// TestDecodeLongStrings decodes strings long enough to be checked a word
// at a time, with a byte that is not ASCII, an escape or bad UTF-8 at each
// place: the text must be what encoding/json makes of it.
func TestDecodeLongStrings(t *testing.T) {
	for _, odd := range []string{"é", "\xff", `\n`, `\u00e9`, `\ud800`, "€\xe2\x82"} {
		for at := range 20 {
			text := strings.Repeat("a", at) + odd + strings.Repeat("b", 20-at)
			body := []byte(`{"task":{"text":"` + text + `"}}`)
			var want struct{ Task struct{ Text string } }
			if err := json.Unmarshal(body, &want); err != nil {
				t.Fatal(err)
			}
			w, _, err := DecodeWebhook(body, DecodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if w.Task.Text != want.Task.Text {
				t.Errorf("text %q decoded as %q, want %q", text, w.Task.Text, want.Task.Text)
			}
		}
	}
}
