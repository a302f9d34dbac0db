package pyrus

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStringChunkFollowsTheLastBody checks how much memory the decoder
// first takes for strings: a quarter of the body on a new tree, then what
// the last body needed, scaled to the new one, with 1/32 of it to spare.
func TestStringChunkFollowsTheLastBody(t *testing.T) {
	tr := &tree{body: make([]byte, 8000)}
	if got := tr.strChunk(); got != 2000 {
		t.Errorf("new tree: %d bytes, want 2000", got)
	}
	tr.lastBody, tr.lastStrings = 4000, 400 // a tenth of the body
	if got := tr.strChunk(); got != 800+250 {
		t.Errorf("after a body a tenth strings: %d bytes, want 1050", got)
	}
	tr.body = make([]byte, 100)
	if got := tr.strChunk(); got != 256 {
		t.Errorf("small body: %d bytes, want the least, 256", got)
	}
}

// TestStringsOverManyChunks decodes each fixture on a tree whose last body
// had almost no strings, so that its strings take many chunks: the result
// must be what a decode on a new tree gives.
func TestStringsOverManyChunks(t *testing.T) {
	for name, body := range readFixtures(t) {
		want, _, err := DecodeWebhook(body, DecodeOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		tr := &tree{lastBody: 1 << 20, lastStrings: 1}
		if err := tr.parse(body); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		d := newDecoder(tr, DecodeOptions{})
		if d.strChunk > max(len(body)/32, 256) {
			t.Fatalf("%s: first chunk %d bytes, want the least", name, d.strChunk)
		}
		got := new(Webhook)
		d.webhook(&tr.nodes[0], got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-new tree +small chunks):\n%s", name, diff)
		}
	}
}
