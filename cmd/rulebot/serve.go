package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
	"github.com/rulebot/rulebot/record"
	"github.com/rulebot/rulebot/reload"
	"github.com/rulebot/rulebot/webhook"
)

// shutdownGrace bounds how long webhooks in flight may take to finish
// after SIGTERM; Pyrus itself gives up on a bot after 60 seconds.
const shutdownGrace = 60 * time.Second

type serveFlags struct {
	rules, addr, path   string
	maxBody             byteSize
	tlsCert, tlsKey     string
	keyFile             string
	logFormat, logLevel string
	debugAddr           string
	record              string
	recordRaw           bool
	recordMaxFiles      int
	recordMaxBytes      byteSize
}

func (a *app) serveFlagSet(f *serveFlags) *flag.FlagSet {
	fs := a.flags("serve", "[flags]",
		"Runs the bot: Pyrus POSTs webhooks to PATH on ADDR, and GET /healthz reports\n"+
			"on the rules in service. The security key comes from PYRUS_SECURITY_KEY or\n"+
			"--key-file; several keys separated by commas are all accepted, for a key\n"+
			"rotation. With --tls-cert and --tls-key it serves HTTPS, which Pyrus\n"+
			"requires; without, put a TLS proxy in front. With --record it saves each\n"+
			"verified webhook as a task fixture, personal data replaced.\n")
	f.maxBody = webhook.DefaultMaxBody
	f.recordMaxBytes = record.DefaultMaxBytes
	fs.StringVar(&f.rules, "rules", "rules.yaml", "the rules `file`")
	fs.StringVar(&f.addr, "addr", ":8080", "listen on `HOST:PORT`")
	fs.StringVar(&f.path, "path", "/", "the `path` Pyrus POSTs to")
	fs.Var(&f.maxBody, "max-body", "the largest webhook body accepted, such as 10MiB or 512KiB")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "serve HTTPS with this certificate `file` (PEM)")
	fs.StringVar(&f.tlsKey, "tls-key", "", "the private key `file` of --tls-cert (PEM)")
	fs.StringVar(&f.keyFile, "key-file", "", "read the security key(s) from `file` "+
		"instead of PYRUS_SECURITY_KEY")
	fs.StringVar(&f.logFormat, "log-format", "auto", "`auto` (text on a terminal, else JSON), text or json")
	fs.StringVar(&f.logLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&f.debugAddr, "debug-addr", "", "serve Go's profiles (pprof) on this loopback "+
		"`HOST:PORT`, such as 127.0.0.1:6060")
	fs.StringVar(&f.record, "record", "", "save each verified webhook body into `DIR`, "+
		"without its access token and with people's names, emails and phones replaced")
	fs.BoolVar(&f.recordRaw, "record-raw", false, "with --record: keep the names, emails "+
		"and phones (the access token is still dropped)")
	fs.IntVar(&f.recordMaxFiles, "record-max-files", record.DefaultMaxFiles,
		"with --record: stop recording when DIR holds this many recordings")
	fs.Var(&f.recordMaxBytes, "record-max-bytes",
		"with --record: stop recording when the recordings in DIR reach `SIZE`, such as 100MiB")
	return fs
}

func (a *app) serve(ctx context.Context, args []string) error {
	var f serveFlags
	rest, err := parse(a.serveFlagSet(&f), args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError{fmt.Sprintf("serve: unexpected argument %q", rest[0])}
	}
	if (f.tlsCert == "") != (f.tlsKey == "") {
		return usageError{"serve: --tls-cert and --tls-key go together"}
	}
	if err := f.checkRecordFlags(); err != nil {
		return err
	}
	log, err := a.logger(f.logFormat, f.logLevel)
	if err != nil {
		return usageError{"serve: " + err.Error()}
	}

	// Catch SIGHUP before anything else: by default it ends the process.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	a.tuneGC()
	b, err := a.setUp(f, log)
	if err != nil {
		return err
	}
	return b.serveUntilSignal(ctx, hup)
}

// bot is a started rulebot: its server, its listener and the watcher that
// reloads its rules.
type bot struct {
	srv     *http.Server
	ln      net.Listener
	watcher *reload.Watcher
	log     *slog.Logger
	rec     *record.Recorder
}

// setUp does everything that may fail at start-up, before the bot takes
// its first webhook.
func (a *app) setUp(f serveFlags, log *slog.Logger) (_ *bot, err error) {
	keys, err := a.securityKeys(f.keyFile)
	if err != nil {
		return nil, err
	}
	rs, err := engine.Load(f.rules)
	if err != nil {
		a.printLoadError(a.stderr, err)
		return nil, failed
	}
	releaseLoadGarbage()
	store := reload.NewStore(rs)
	rec, err := a.recorder(f, log)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = rec.Close(context.Background())
		}
	}()
	h, err := webhook.NewHandler(webhook.Config{
		Store:    store,
		Verifier: pyrus.NewVerifier(keys),
		Path:     f.path,
		MaxBody:  int64(f.maxBody),
		Logger:   log,
		Recorder: rec,
	})
	if err != nil {
		return nil, usageError{"serve: " + err.Error()}
	}
	srv, err := newServer(h, f, log)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return nil, err
	}
	if f.debugAddr != "" {
		if _, err := startDebug(f.debugAddr, log); err != nil {
			ln.Close()
			return nil, err
		}
	}
	log.Info("rulebot serving", "addr", ln.Addr().String(), "path", f.path,
		"https", srv.TLSConfig != nil, "rules_file", rs.File, "rules", len(rs.Rules),
		"hash", rs.Hash, "version", versionString())
	return &bot{srv: srv, ln: ln, watcher: reload.NewWatcher(f.rules, store, log), log: log,
		rec: rec}, nil
}

// newServer makes the HTTP server, with its TLS certificate when one is
// given.
func newServer(h http.Handler, f serveFlags, log *slog.Logger) (*http.Server, error) {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if f.tlsCert == "" {
		return srv, nil
	}
	cert, err := tls.LoadX509KeyPair(f.tlsCert, f.tlsKey)
	if err != nil {
		return nil, fmt.Errorf("load TLS certificate: %w", err)
	}
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	return srv, nil
}

// serveUntilSignal serves and reloads the rules on changes and on SIGHUP,
// until SIGTERM or SIGINT; then it lets the webhooks in flight finish.
func (b *bot) serveUntilSignal(ctx context.Context, hup <-chan os.Signal) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt)
	defer stop()
	defer b.closeRecorder() // after the server has stopped

	watching := make(chan struct{})
	go func() {
		defer close(watching)
		b.watcher.Run(ctx)
	}()
	defer func() { <-watching }()

	errc := make(chan error, 1)
	go func() { errc <- b.serve() }()
	for {
		select {
		case err := <-errc:
			stop()
			return err
		case <-hup:
			b.log.Info("SIGHUP: reloading the rules")
			b.watcher.Reload()
		case <-ctx.Done():
			return b.shutdown(errc)
		}
	}
}

func (b *bot) serve() error {
	if b.srv.TLSConfig != nil {
		return b.srv.ServeTLS(b.ln, "", "")
	}
	return b.srv.Serve(b.ln)
}

// shutdown stops taking webhooks and waits for those in flight.
func (b *bot) shutdown(errc <-chan error) error {
	b.log.Info("shutting down: finishing the webhooks in flight")
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := b.srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	b.log.Info("stopped")
	return nil
}

// securityKeys reads the bot's security keys: comma-separated, from the
// key file when one is named, else from PYRUS_SECURITY_KEY.
func (a *app) securityKeys(file string) ([]string, error) {
	text, source := a.getenv("PYRUS_SECURITY_KEY"), "PYRUS_SECURITY_KEY"
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("read key file: %w", err)
		}
		text, source = string(data), file
	}
	var keys []string
	for k := range strings.SplitSeq(text, ",") {
		if k = strings.TrimSpace(k); k != "" {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		if file != "" {
			return nil, fmt.Errorf("no security key in %s", source)
		}
		return nil, errors.New("no security key: set PYRUS_SECURITY_KEY or pass --key-file FILE")
	}
	return keys, nil
}
