package record

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"time"
)

// timeFormat is the UTC time in a recording's file name.
const timeFormat = "20060102T150405Z"

// FileName is the name of the n-th recording of a task's webhook in one
// second: task-ID-yyyymmddThhmmssZ-N.json, the time in UTC.
func FileName(taskID int64, at time.Time, n int) string {
	return fmt.Sprintf("task-%d-%s-%d.json", taskID, at.UTC().Format(timeFormat), n)
}

var fileName = regexp.MustCompile(`^task-(\d+)-(\d{8}T\d{6}Z)-\d+\.json$`)

// ParseName reads the task id and the time of recording from the name of
// a file that FileName named; ok is false for any other name. path may
// include folders.
func ParseName(path string) (taskID int64, at time.Time, ok bool) {
	m := fileName.FindStringSubmatch(filepath.Base(path))
	if m == nil {
		return 0, time.Time{}, false
	}
	id, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return 0, time.Time{}, false
	}
	at, err = time.Parse(timeFormat, m[2])
	if err != nil {
		return 0, time.Time{}, false
	}
	return id, at, true
}
