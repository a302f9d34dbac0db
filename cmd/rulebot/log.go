package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/lmittmann/tint"
	"golang.org/x/term"
)

// logger makes the log of serve: human-readable through tint on a
// terminal (without colour under NO_COLOR), JSON otherwise, on stderr.
func (a *app) logger(format, level string) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	if format == "auto" {
		format = "json"
		if isTerminal(a.stderr) {
			format = "text"
		}
	}
	switch format {
	case "text":
		return slog.New(tint.NewHandler(a.stderr, &tint.Options{
			Level:      lvl,
			TimeFormat: time.TimeOnly,
			NoColor:    a.getenv("NO_COLOR") != "" || !isTerminal(a.stderr),
		})), nil
	case "json":
		return slog.New(slog.NewJSONHandler(a.stderr, &slog.HandlerOptions{Level: lvl})), nil
	}
	return nil, fmt.Errorf("--log-format %q: want auto, text or json", format)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// byteSize is a flag for a size in bytes, written 10MiB, 512KiB, 1MB or
// 1048576.
type byteSize int64

var units = []struct {
	suffix string
	factor int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	{"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000}, {"B", 1},
}

// String writes the size in the largest binary unit that divides it.
func (s *byteSize) String() string {
	n := int64(*s)
	for i := 2; i >= 0; i-- { // GiB, MiB, KiB
		if u := units[i]; n >= u.factor && n%u.factor == 0 {
			return strconv.FormatInt(n/u.factor, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

func (s *byteSize) Set(text string) error {
	number, factor := strings.TrimSpace(text), int64(1)
	for _, u := range units {
		if n, ok := strings.CutSuffix(number, u.suffix); ok {
			number, factor = strings.TrimSpace(n), u.factor
			break
		}
	}
	n, err := strconv.ParseInt(number, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/factor {
		return fmt.Errorf("want a size such as 10MiB, 512KiB or 1048576")
	}
	*s = byteSize(n * factor)
	return nil
}
