package pyrus

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"hash"
	"sync"
)

// sigLen is the length of an HMAC-SHA1 sum in bytes; X-Pyrus-Sig carries it
// as 40 hex digits.
const sigLen = sha1.Size

// Verifier checks the X-Pyrus-Sig header of webhooks against one or more
// security keys. Build it once; it is safe for concurrent use.
type Verifier struct {
	// macs holds one pool of HMAC states per key, so that a request reuses
	// a keyed hash instead of hashing the key afresh.
	macs []*sync.Pool
}

// macState is a keyed HMAC with room for its sum, so that Verify does not
// allocate.
type macState struct {
	h   hash.Hash
	sum [sigLen]byte
}

// NewVerifier returns a Verifier that accepts a signature made with any of
// keys. Empty keys are skipped: a stray comma in a key list must never
// turn into a key that anyone can sign with.
func NewVerifier(keys []string) *Verifier {
	v := &Verifier{}
	for _, key := range keys {
		if key == "" {
			continue
		}
		k := []byte(key)
		v.macs = append(v.macs, &sync.Pool{New: func() any {
			return &macState{h: hmac.New(sha1.New, k)}
		}})
	}
	return v
}

// Verify reports whether header is the hex HMAC-SHA1 of the exact body bytes
// under one of the keys. Upper- and lower-case hex are both accepted, the
// comparison is constant time, and anything that is not 20 bytes of hex is
// rejected.
func (v *Verifier) Verify(body []byte, header string) bool {
	if len(header) != 2*sigLen {
		return false
	}
	var text [2 * sigLen]byte
	var want [sigLen]byte
	copy(text[:], header)
	if _, err := hex.Decode(want[:], text[:]); err != nil {
		return false
	}
	for _, pool := range v.macs {
		if macMatches(pool, body, want[:]) {
			return true
		}
	}
	return false
}

// macMatches reports whether the HMAC of body under the pool's key is want.
func macMatches(pool *sync.Pool, body, want []byte) bool {
	m := pool.Get().(*macState)
	defer pool.Put(m)
	m.h.Reset()
	m.h.Write(body)
	return hmac.Equal(m.h.Sum(m.sum[:0]), want)
}

// VerifySignature reports whether header is a valid X-Pyrus-Sig of body under
// any of keys. It is meant for one-off checks; a server should build a
// Verifier once and call its Verify method.
func VerifySignature(body []byte, header string, keys []string) bool {
	return NewVerifier(keys).Verify(body, header)
}

// Sign returns the X-Pyrus-Sig that Pyrus sends with body under key: the
// hex HMAC-SHA1 of the body's exact bytes, in lower case. A bot only
// verifies; Sign is for what stands in for Pyrus: tests, benchmarks and
// fixtures.
func Sign(body []byte, key string) string {
	mac := hmac.New(sha1.New, []byte(key))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}
