package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// TestServeTLS serves HTTPS with a certificate made for the test, reading
// the key from --key-file, and answers a signed fixture over TLS.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	keys := writeFile(t, filepath.Join(dir, "keys"), "retired-key,"+testKey+"\n")

	b := startServe(t, "--rules", exampleRules, "--tls-cert", certFile, "--tls-key", keyFile,
		"--key-file", keys, "--path", "/bot")
	defer b.stop(t)

	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	body, err := os.ReadFile(filepath.Join(fixtures, "cyrillic.json"))
	if err != nil {
		t.Fatal(err)
	}
	status, answer := postSigned(t, client, "https://"+b.addr+"/bot", body)
	if status != 200 || !bytes.Contains(answer, []byte(`"reassign_to":{"id":100210}`)) {
		t.Errorf("got %d %s", status, answer)
	}

	old := &tls.Config{RootCAs: pool, MaxVersion: tls.VersionTLS11}
	if conn, err := tls.Dial("tcp", b.addr, old); err == nil {
		conn.Close()
		t.Error("a TLS 1.1 client was served; want TLS 1.2 or later only")
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns
// a pool that trusts it.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "rulebot test"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile = writeFile(t, filepath.Join(dir, "cert.pem"),
		string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	keyFile = writeFile(t, filepath.Join(dir, "key.pem"),
		string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})))
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestEvalFlagsAfterTheFile accepts flags on either side of TASK.json and
// reads a bare task object as well as a whole webhook body.
func TestEvalFlagsAfterTheFile(t *testing.T) {
	whole := filepath.Join(fixtures, "cyrillic.json")
	before := runCmd(t, nil, "eval", "--rules", exampleRules, "--now", testNow, whole)
	after := runCmd(t, nil, "eval", whole, "--rules", exampleRules, "--now", testNow)
	if before.code != 0 || before.stdout == "" || before != after {
		t.Errorf("before: %+v\nafter: %+v", before, after)
	}

	bare := writeFile(t, filepath.Join(t.TempDir(), "task.json"),
		`{"id": 5, "form_id": 52211, "fields": [{"id": 1, "type": "money", "name": "Сумма", "value": 150000}]}`)
	r := runCmd(t, nil, "eval", "--rules", exampleRules, bare)
	if r.code != 0 || !bytes.Contains([]byte(r.stdout), []byte(`Сумма 150000`)) {
		t.Errorf("bare task: %+v", r)
	}
}

// TestEvalWebhookWithoutTask answers a webhook that holds no task with
// nothing, as serve does, and reads a fixture saved with a byte-order mark.
func TestEvalWebhookWithoutTask(t *testing.T) {
	dir := t.TempDir()
	for _, body := range []string{`{"task": null}`, `{"event": "comment", "task_id": 5}`} {
		r := runCmd(t, nil, "eval", "--rules", exampleRules, writeFile(t, filepath.Join(dir, "w.json"), body))
		if r.code != 0 || r.stdout != "" || !bytes.Contains([]byte(r.stderr), []byte("holds no task")) {
			t.Errorf("%s: %+v", body, r)
		}
	}
	bom := writeFile(t, filepath.Join(dir, "bom.json"),
		"\ufeff"+`{"id": 5, "form_id": 52211, "fields": [{"id": 1, "type": "money", "name": "Сумма", "value": 150000}]}`)
	if r := runCmd(t, nil, "eval", "--rules", exampleRules, bom); r.code != 0 || r.stdout == "" {
		t.Errorf("a fixture with a BOM: %+v", r)
	}
}

// TestServeDebugProfiles serves Go's profiles on a second loopback port,
// and refuses to serve them anywhere else.
func TestServeDebugProfiles(t *testing.T) {
	r := runCmd(t, map[string]string{"PYRUS_SECURITY_KEY": testKey}, "serve", "--rules", exampleRules,
		"--addr", "127.0.0.1:0", "--debug-addr", "0.0.0.0:0")
	if r.code != 1 || !bytes.Contains([]byte(r.stderr), []byte("must be a loopback address")) {
		t.Errorf("a public debug address: %+v", r)
	}

	b := startServe(t, "--rules", exampleRules, "--debug-addr", "127.0.0.1:0")
	defer b.stop(t)
	stderr := b.log
	m := regexp.MustCompile(`"debug_addr":"([^"]+)"`).FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("no debug address in the log:\n%s", stderr)
	}
	// The profiles bench/README.md reads under load: the heap, allocations,
	// one second of CPU and one of the runtime trace.
	for _, path := range []string{"heap?debug=1", "allocs", "profile?seconds=1", "trace?seconds=1"} {
		resp, err := http.Get("http://" + m[1] + "/debug/pprof/" + path)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || n == 0 {
			t.Errorf("/debug/pprof/%s: %d, %d bytes", path, resp.StatusCode, n)
		}
	}
}
