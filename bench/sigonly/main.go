// Command sigonly is the ceiling of the load comparison in bench/: a server
// that only reads each webhook body and checks its signature with rulebot's
// own verifier, then answers 200 with an empty body. Nothing a bot does
// can be cheaper, so rulebot's distance to it is the cost of decoding the
// task, running the rules, answering and logging.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/rulebot/rulebot/pyrus"
)

// maxBody is rulebot's default limit on a webhook body.
const maxBody = 10 << 20

func main() {
	addr := flag.String("addr", "127.0.0.1:28080", "listen on `HOST:PORT`")
	flag.Parse()

	keys := strings.Split(os.Getenv("PYRUS_SECURITY_KEY"), ",")
	if keys[0] == "" {
		fmt.Fprintln(os.Stderr, "sigonly: set PYRUS_SECURITY_KEY")
		os.Exit(1)
	}
	srv := &http.Server{
		Addr:              *addr,
		Handler:           handler(pyrus.NewVerifier(keys)),
		ReadHeaderTimeout: 10 * time.Second,
	}
	if err := srv.ListenAndServe(); err != nil {
		fmt.Fprintln(os.Stderr, "sigonly:", err)
		os.Exit(1)
	}
}

// bodies recycles body buffers, as rulebot does.
var bodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func handler(v *pyrus.Verifier) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		buf := bodies.Get().(*bytes.Buffer)
		defer bodies.Put(buf)
		buf.Reset()

		if _, err := buf.ReadFrom(io.LimitReader(r.Body, maxBody)); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if !v.Verify(buf.Bytes(), r.Header.Get("X-Pyrus-Sig")) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusOK)
	}
}
