package pyrus

import (
	"encoding/json"
	"testing"
)

// largestFixture returns the largest task fixture.
func largestFixture(tb testing.TB) []byte {
	var largest []byte
	for _, body := range readFixtures(tb) {
		if len(body) > len(largest) {
			largest = body
		}
	}
	return largest
}

func BenchmarkDecodeWebhook(b *testing.B) {
	body := largestFixture(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := DecodeWebhook(body, DecodeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeStdlibMap is the yardstick for BenchmarkDecodeWebhook:
// encoding/json into a generic map, on the same body.
func BenchmarkDecodeStdlibMap(b *testing.B) {
	body := largestFixture(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			b.Fatal(err)
		}
	}
}

// keyObject is an object with keys in the spellings the decoder meets.
const keyObject = `{"task_id":1,"TaskId":2,"TASK_ID":3,"taskid":4,"AccessToken":5,
	"scheduled_datetime_utc":6,"subscribers_rerequested":7,"unknown_key":8,
	"a_key_that_is_far_too_long_to_be_one_of_ours":9}`

// matchKeys visits the root of d's tree and counts the keys that
// normalize to known names.
func matchKeys(d *decoder) int {
	n := 0
	d.visit(&d.t.nodes[0], func(key []byte, _ *node) bool {
		switch string(key) {
		case "taskid", "accesstoken", "scheduleddatetimeutc", "subscribersrerequested":
			n++
		}
		return true
	})
	return n
}

// keyDecoder returns a decoder of keyObject.
func keyDecoder(tb testing.TB) *decoder {
	tb.Helper()
	t := new(tree)
	if err := t.parse([]byte(keyObject)); err != nil {
		tb.Fatal(err)
	}
	return newDecoder(t, DecodeOptions{})
}

func TestKeyNormalizationDoesNotAllocate(t *testing.T) {
	d := keyDecoder(t)
	if n := matchKeys(d); n != 7 {
		t.Fatalf("%d keys matched, want 7", n)
	}
	if allocs := testing.AllocsPerRun(100, func() { matchKeys(d) }); allocs > 0 {
		t.Errorf("key normalization allocates %v times per object", allocs)
	}
}

func BenchmarkKeyNormalization(b *testing.B) {
	d := keyDecoder(b)
	b.ReportAllocs()
	for b.Loop() {
		matchKeys(d)
	}
}
