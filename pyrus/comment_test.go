package pyrus

import "testing"

func TestPersonIdentityString(t *testing.T) {
	if got := (PersonIdentity{Email: "cfo@example.com"}).String(); got != "cfo@example.com" {
		t.Errorf("by email: %q", got)
	}
	if got := (PersonIdentity{ID: 100210}).String(); got != "person 100210" {
		t.Errorf("by id: %q", got)
	}
}
