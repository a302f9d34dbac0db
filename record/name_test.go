package record_test

import (
	"testing"
	"time"

	"github.com/rulebot/rulebot/record"
)

func TestFileName(t *testing.T) {
	at := time.Date(2025, 3, 5, 13, 4, 5, 999, time.FixedZone("MSK", 3*3600))
	got, want := record.FileName(11840217, at, 2), "task-11840217-20250305T100405Z-2.json"
	if got != want {
		t.Errorf("FileName = %q, want %q", got, want)
	}
}

func TestParseName(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		wantID int64
		wantAt string
		wantOK bool
	}{
		{"a recording", "rec/task-11840217-20250305T100405Z-1.json", 11840217,
			"2025-03-05T10:04:05Z", true},
		{"no task", "task-0-20250305T100405Z-12.json", 0, "2025-03-05T10:04:05Z", true},
		{"another fixture", "testdata/tasks/purchase-big.json", 0, "", false},
		{"no time", "task-1-2025-1.json", 0, "", false},
		{"a bad time", "task-1-20251305T100405Z-1.json", 0, "", false},
		{"redacted copy", "task-1-20250305T100405Z-1.redacted.json", 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, at, ok := record.ParseName(tt.path)
			gotAt := ""
			if ok {
				gotAt = at.Format(time.RFC3339)
			}
			if id != tt.wantID || gotAt != tt.wantAt || ok != tt.wantOK {
				t.Errorf("ParseName(%q) = %d, %q, %v; want %d, %q, %v",
					tt.path, id, gotAt, ok, tt.wantID, tt.wantAt, tt.wantOK)
			}
		})
	}
}
