package pyrus

import (
	"strings"
	"testing"
)

// The test vectors of pyrus-webhook.md section 1.4.
const (
	vectorKey  = "EXAMPLE-security-key-0123456789abcdef"
	vector1    = `{"event":"comment","task_id":1,"user_id":2,"access_token":"t","task":{"id":1}}`
	vector1Sig = "02A45EF0AF13F1644E07896AA5957127A398F283"
	vector2    = `{"task":{"id":1,"text":"Привет, мир"}}`
	vector2Sig = "8A4EDB34DFCBEEA1C37E005F26E060232D8B7543"
	// vector3 is vector2 re-serialized by Python's json.dumps.
	vector3 = `{"task": {"id": 1, "text": ` +
		`"\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440"}}`
	vector3Sig = "42F76F8DE01F445302AA48E6A478F3840AC4B3D3"
)

func TestVerify(t *testing.T) {
	tests := []struct {
		name   string
		keys   []string
		body   string
		header string
		want   bool
	}{
		{"vector 1", []string{vectorKey}, vector1, vector1Sig, true},
		{"vector 2 cyrillic", []string{vectorKey}, vector2, vector2Sig, true},
		{"vector 3 re-serialized body", []string{vectorKey}, vector3, vector2Sig, false},
		{"vector 3 own signature", []string{vectorKey}, vector3, vector3Sig, true},
		{"lower case hex", []string{vectorKey}, vector1, strings.ToLower(vector1Sig), true},
		{"mixed case hex", []string{vectorKey}, vector1,
			"02a45ef0af13f1644e07896aa5957127A398F283", true},
		{"wrong key", []string{"other"}, vector1, vector1Sig, false},
		{"body with trailing newline", []string{vectorKey}, vector1 + "\n", vector1Sig, false},
		{"one byte short", []string{vectorKey}, vector1, vector1Sig[:38], false},
		{"one byte long", []string{vectorKey}, vector1, vector1Sig + "00", false},
		{"odd length", []string{vectorKey}, vector1, vector1Sig[:39], false},
		{"non-hex", []string{vectorKey}, vector1, "Z" + vector1Sig[1:], false},
		{"sha1= prefix", []string{vectorKey}, vector1, "sha1=" + vector1Sig, false},
		{"surrounding space", []string{vectorKey}, vector1, " " + vector1Sig, false},
		{"empty header", []string{vectorKey}, vector1, "", false},
		{"no keys", nil, vector1, vector1Sig, false},
		{"two keys, first matches", []string{vectorKey, "old"}, vector1, vector1Sig, true},
		{"two keys, second matches", []string{"new", vectorKey}, vector1, vector1Sig, true},
		{"empty key is skipped", []string{"", ","}, "", macHex("", ""), false},
		{"key list with empty entry", []string{vectorKey, ""}, vector2, vector2Sig, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NewVerifier(tt.keys).Verify([]byte(tt.body), tt.header)
			if got != tt.want {
				t.Errorf("Verify(%q) = %v, want %v", tt.header, got, tt.want)
			}
			if got := VerifySignature([]byte(tt.body), tt.header, tt.keys); got != tt.want {
				t.Errorf("VerifySignature(%q) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}

func TestVerifyReusesState(t *testing.T) {
	v := NewVerifier([]string{vectorKey})
	for i := range 3 {
		if !v.Verify([]byte(vector1), vector1Sig) {
			t.Fatalf("call %d: vector 1 did not verify", i)
		}
		if v.Verify([]byte(vector3), vector2Sig) {
			t.Fatalf("call %d: vector 3 verified", i)
		}
	}
}

func TestVerifyAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	v := NewVerifier([]string{"old", vectorKey})
	body := []byte(vector1)
	v.Verify(body, vector1Sig)
	allocs := testing.AllocsPerRun(100, func() { v.Verify(body, vector1Sig) })
	if allocs > 0 {
		t.Errorf("Verify allocates %v times per call, want 0", allocs)
	}
}

// macHex is the signature of body under key in upper-case hex, as some
// senders write it (Sign itself is checked against Pyrus's vectors).
func macHex(key, body string) string { return strings.ToUpper(Sign([]byte(body), key)) }

func TestSign(t *testing.T) {
	for body, want := range map[string]string{vector1: vector1Sig, vector2: vector2Sig, vector3: vector3Sig} {
		if got := Sign([]byte(body), vectorKey); got != strings.ToLower(want) {
			t.Errorf("Sign(%q) = %s, want %s", body, got, strings.ToLower(want))
		}
	}
}

func FuzzVerifySignature(f *testing.F) {
	f.Add([]byte(vector1), vector1Sig)
	f.Add([]byte(vector2), strings.ToLower(vector2Sig))
	f.Add([]byte(vector3), vector2Sig)
	f.Add([]byte{}, "")
	f.Add([]byte("{}"), "zz")
	keys := []string{"old-key", vectorKey}
	v := NewVerifier(keys)
	f.Fuzz(func(t *testing.T, body []byte, header string) {
		right := macHex(vectorKey, string(body))
		old := macHex("old-key", string(body))
		want := strings.EqualFold(header, right) || strings.EqualFold(header, old)
		if got := v.Verify(body, header); got != want {
			t.Errorf("Verify(%q, %q) = %v, want %v", body, header, got, want)
		}
		if !v.Verify(body, right) || !v.Verify(body, strings.ToLower(old)) {
			t.Errorf("a right signature of %q did not verify", body)
		}
	})
}

func BenchmarkVerify(b *testing.B) {
	body := []byte(strings.Repeat(vector2, 250))
	sig := macHex(vectorKey, string(body))
	v := NewVerifier([]string{vectorKey})
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if !v.Verify(body, sig) {
			b.Fatal("no match")
		}
	}
}
