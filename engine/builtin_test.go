package engine

import (
	"strings"
	"testing"
)

func TestBoundedBuiltins(t *testing.T) {
	big := strings.Repeat("a", 1000)
	tests := []struct {
		name    string
		fn      func(...any) (any, error)
		args    []any
		want    string
		wantErr string
	}{
		{"repeat", repeat, []any{"ab", 3}, "ababab", ""},
		{"repeat nothing", repeat, []any{"ab", 0}, "", ""},
		{"repeat a negative count", repeat, []any{"ab", -1}, "", "repeat: want a count of 0 or more, got -1"},
		{"repeat too much", repeat, []any{big, 2000}, "", "repeat: the text would be over 1048576 bytes"},
		{"replace", replace, []any{"a-b-c", "-", "+"}, "a+b+c", ""},
		{"replace that shrinks", replace, []any{big, "a", ""}, "", ""},
		{"replace too much", replace, []any{big + big, "", big}, "", "replace: the text would be over 1048576 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.fn(tt.args...)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
