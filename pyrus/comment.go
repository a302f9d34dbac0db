package pyrus

import (
	"reflect"
	"strconv"
	"time"
)

// CommentRequest is the body of POST /tasks/{id}/comments, and so of a bot's
// answer to a webhook. Empty fields are left out of the JSON.
type CommentRequest struct {
	Text                   string             `json:"text,omitempty"`
	FormattedText          string             `json:"formatted_text,omitempty"`
	Subject                string             `json:"subject,omitempty"`
	ApprovalChoice         string             `json:"approval_choice,omitempty"`
	ApprovalSteps          []int64            `json:"approval_steps,omitempty"`
	Action                 string             `json:"action,omitempty"`
	ReassignTo             *PersonIdentity    `json:"reassign_to,omitempty"`
	FieldUpdates           []FieldUpdate      `json:"field_updates,omitempty"`
	ApprovalsAdded         [][]PersonIdentity `json:"approvals_added,omitempty"`
	ApprovalsRemoved       [][]PersonIdentity `json:"approvals_removed,omitempty"`
	ApprovalsRerequested   [][]PersonIdentity `json:"approvals_rerequested,omitempty"`
	SubscribersAdded       []PersonIdentity   `json:"subscribers_added,omitempty"`
	SubscribersRemoved     []PersonIdentity   `json:"subscribers_removed,omitempty"`
	SubscribersRerequested []PersonIdentity   `json:"subscribers_rerequested,omitempty"`
	ParticipantsAdded      []PersonIdentity   `json:"participants_added,omitempty"`
	ParticipantsRemoved    []PersonIdentity   `json:"participants_removed,omitempty"`
	DueDate                string             `json:"due_date,omitempty"`
	Due                    *time.Time         `json:"due,omitempty"`
	Duration               int64              `json:"duration,omitempty"`
	CancelDue              bool               `json:"cancel_due,omitempty"`
	ScheduledDate          string             `json:"scheduled_date,omitempty"`
	ScheduledDatetimeUTC   *time.Time         `json:"scheduled_datetime_utc,omitempty"`
	CancelSchedule         bool               `json:"cancel_schedule,omitempty"`
	AddedListIDs           []int64            `json:"added_list_ids,omitempty"`
	RemovedListIDs         []int64            `json:"removed_list_ids,omitempty"`
	Attachments            []NewFile          `json:"attachments,omitempty"`
	SpentMinutes           int64              `json:"spent_minutes,omitempty"`
	Channel                *Channel           `json:"channel,omitempty"`
	SkipNotification       bool               `json:"skip_notification,omitempty"`
	SkipAutoReopen         bool               `json:"skip_auto_reopen,omitempty"`
	SkipSatisfaction       bool               `json:"skip_satisfaction,omitempty"`
	EditCommentID          int64              `json:"edit_comment_id,omitempty"`
}

// PersonIdentity names a person in a request: by id or by email.
type PersonIdentity struct {
	ID    int64  `json:"id,omitempty"`
	Email string `json:"email,omitempty"`
}

// String gives the email, or "person N" for a person named by id, for
// logs and explanations.
func (p PersonIdentity) String() string {
	if p.Email != "" {
		return p.Email
	}
	return "person " + strconv.FormatInt(p.ID, 10)
}

// FieldUpdate sets one form field, named by id, code or name.
type FieldUpdate struct {
	ID    int64  `json:"id,omitempty"`
	Code  string `json:"code,omitempty"`
	Name  string `json:"name,omitempty"`
	Value any    `json:"value"`
}

// NewFile attaches a file to a comment: an uploaded guid (with root_id for
// a new version), an attachment already in the task, or an outside link.
type NewFile struct {
	GUID         string `json:"guid,omitempty"`
	RootID       int64  `json:"root_id,omitempty"`
	AttachmentID int64  `json:"attachment_id,omitempty"`
	URL          string `json:"url,omitempty"`
	Name         string `json:"name,omitempty"`
}

// IsEmpty reports whether the request would change nothing, so that a bot
// answers with an empty body instead.
func (r *CommentRequest) IsEmpty() bool {
	return r == nil || reflect.ValueOf(*r).IsZero()
}
