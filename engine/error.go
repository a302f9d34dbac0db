package engine

import "github.com/rulebot/rulebot/internal/yamldoc"

// Error is one mistake in a rules file, at the line and column where a
// person should look; Within names the rule it is in.
type Error = yamldoc.Error

// ErrorList is every mistake found in one rules file, in file order.
type ErrorList = yamldoc.ErrorList
