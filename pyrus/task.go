// Package pyrus holds the Pyrus data that a bot sees: the webhook body with
// its task (TaskWithNotes), the comment request a bot answers with, and the
// signature check that proves a webhook came from Pyrus.
//
// The types carry two sets of names: `json` for the wire and `expr` for the
// rules language, which reads the same snake_case names. Pyrus leaves out
// empty and default values, so every field's zero value means "not sent":
// an absent person, time or object is nil, an absent string "", a number 0.
package pyrus

import "time"

// Webhook is the body Pyrus POSTs to a bot.
type Webhook struct {
	Event       string `json:"event,omitempty"`
	AccessToken Token  `json:"access_token,omitempty"`
	TaskID      int64  `json:"task_id,omitempty"`
	UserID      int64  `json:"user_id,omitempty"`
	BotSettings string `json:"bot_settings,omitempty"`
	Task        *Task  `json:"task,omitempty"`
}

// Token is a secret, such as the webhook's access token. It prints and logs
// as "[redacted]"; string(t) gives the value to code that must send it.
type Token string

// String hides the token from fmt and from loggers that fall back to it.
func (Token) String() string { return "[redacted]" }

// Task is a Pyrus task with its comments (TaskWithNotes).
type Task struct {
	ID                   int64             `json:"id,omitempty" expr:"id"`
	Text                 string            `json:"text,omitempty" expr:"text"`
	FormattedText        string            `json:"formatted_text,omitempty" expr:"formatted_text"`
	Subject              string            `json:"subject,omitempty" expr:"subject"`
	CreateDate           *time.Time        `json:"create_date,omitempty" expr:"create_date"`
	LastModifiedDate     *time.Time        `json:"last_modified_date,omitempty" expr:"last_modified_date"`
	CloseDate            *time.Time        `json:"close_date,omitempty" expr:"close_date"`
	Author               *Person           `json:"author,omitempty" expr:"author"`
	Responsible          *Person           `json:"responsible,omitempty" expr:"responsible"`
	Participants         []*Person         `json:"participants,omitempty" expr:"participants"`
	Subscribers          []Subscriber      `json:"subscribers,omitempty" expr:"subscribers"`
	Approvals            [][]ApprovalEntry `json:"approvals,omitempty" expr:"approvals"`
	DueDate              *time.Time        `json:"due_date,omitempty" expr:"due_date"`
	Due                  *time.Time        `json:"due,omitempty" expr:"due"`
	Duration             int64             `json:"duration,omitempty" expr:"duration"`
	ScheduledDate        *time.Time        `json:"scheduled_date,omitempty" expr:"scheduled_date"`
	ScheduledDatetimeUTC *time.Time        `json:"scheduled_datetime_utc,omitempty" expr:"scheduled_datetime_utc"`
	CancelSchedule       bool              `json:"cancel_schedule,omitempty" expr:"cancel_schedule"`
	FormID               int64             `json:"form_id,omitempty" expr:"form_id"`
	Fields               []FormField       `json:"fields,omitempty" expr:"fields"`
	CurrentStep          int64             `json:"current_step,omitempty" expr:"current_step"`
	IsClosed             bool              `json:"is_closed,omitempty" expr:"is_closed"`
	Attachments          []File            `json:"attachments,omitempty" expr:"attachments"`
	ListIDs              []int64           `json:"list_ids,omitempty" expr:"list_ids"`
	LinkedTaskIDs        []int64           `json:"linked_task_ids,omitempty" expr:"linked_task_ids"`
	ParentTaskID         int64             `json:"parent_task_id,omitempty" expr:"parent_task_id"`
	LastNoteID           int64             `json:"last_note_id,omitempty" expr:"last_note_id"`
	Comments             []*Comment        `json:"comments,omitempty" expr:"comments"`
	Steps                []Step            `json:"steps,omitempty" expr:"steps"`
}

// Person is a user, a bot or a role.
type Person struct {
	ID               int64  `json:"id,omitempty" expr:"id"`
	FirstName        string `json:"first_name,omitempty" expr:"first_name"`
	LastName         string `json:"last_name,omitempty" expr:"last_name"`
	Email            string `json:"email,omitempty" expr:"email"`
	Type             string `json:"type,omitempty" expr:"type"`
	DepartmentID     int64  `json:"department_id,omitempty" expr:"department_id"`
	DepartmentName   string `json:"department_name,omitempty" expr:"department_name"`
	Position         string `json:"position,omitempty" expr:"position"`
	Banned           bool   `json:"banned,omitempty" expr:"banned"`
	Fired            bool   `json:"fired,omitempty" expr:"fired"`
	Status           string `json:"status,omitempty" expr:"status"`
	AvatarID         int64  `json:"avatar_id,omitempty" expr:"avatar_id"`
	ExternalAvatarID string `json:"external_avatar_id,omitempty" expr:"external_avatar_id"`
	Rights           string `json:"rights,omitempty" expr:"rights"`
	ExternalID       string `json:"external_id,omitempty" expr:"external_id"`
	Phone            string `json:"phone,omitempty" expr:"phone"`
	MobilePhone      string `json:"mobile_phone,omitempty" expr:"mobile_phone"`
	Skype            string `json:"skype,omitempty" expr:"skype"`
	Messenger        string `json:"messenger,omitempty" expr:"messenger"`
	NativeFirstName  string `json:"native_first_name,omitempty" expr:"native_first_name"`
	NativeLastName   string `json:"native_last_name,omitempty" expr:"native_last_name"`
	TaskReceiver     bool   `json:"task_receiver,omitempty" expr:"task_receiver"`
	PersonnelNumber  string `json:"personnel_number,omitempty" expr:"personnel_number"`
}

// ApprovalEntry is one approver of one step and the choice they made.
type ApprovalEntry struct {
	Person         *Person `json:"person,omitempty" expr:"person"`
	ApprovalChoice string  `json:"approval_choice,omitempty" expr:"approval_choice"`
	Step           int64   `json:"step,omitempty" expr:"step"`
}

// Subscriber is a person who watches a task.
type Subscriber struct {
	Person         *Person `json:"person,omitempty" expr:"person"`
	ApprovalChoice string  `json:"approval_choice,omitempty" expr:"approval_choice"`
}

// Step is one step of a form's workflow and the time the task spent on it.
type Step struct {
	Step        int64  `json:"step,omitempty" expr:"step"`
	ElapsedTime int64  `json:"elapsed_time,omitempty" expr:"elapsed_time"`
	Name        string `json:"name,omitempty" expr:"name"`
}

// File is an attached file as Pyrus describes it on the read side.
type File struct {
	ID      int64  `json:"id,omitempty" expr:"id"`
	Name    string `json:"name,omitempty" expr:"name"`
	Size    int64  `json:"size,omitempty" expr:"size"`
	MD5     string `json:"md5,omitempty" expr:"md5"`
	URL     string `json:"url,omitempty" expr:"url"`
	Version int64  `json:"version,omitempty" expr:"version"`
	RootID  int64  `json:"root_id,omitempty" expr:"root_id"`
}

// Role is a role a comment was written as.
type Role struct {
	ID   int64  `json:"id,omitempty" expr:"id"`
	Name string `json:"name,omitempty" expr:"name"`
}

// Channel is the outside channel (email, telegram, ...) a comment came
// through or is sent out by.
type Channel struct {
	Type      string          `json:"type,omitempty" expr:"type"`
	Phone     string          `json:"phone,omitempty" expr:"phone"`
	Direction string          `json:"direction,omitempty" expr:"direction"`
	To        *ChannelContact `json:"to,omitempty" expr:"to"`
	From      *ChannelContact `json:"from,omitempty" expr:"from"`
}

// ChannelContact is one end of a channel.
type ChannelContact struct {
	Email string `json:"email,omitempty" expr:"email"`
	Name  string `json:"name,omitempty" expr:"name"`
}

// SMSInfo reports on a comment sent out as an SMS.
type SMSInfo struct {
	ErrorCode     string `json:"error_code,omitempty" expr:"error_code"`
	Status        string `json:"status,omitempty" expr:"status"`
	ErrorMessage  string `json:"error_message,omitempty" expr:"error_message"`
	SentCommentID int64  `json:"sent_comment_id,omitempty" expr:"sent_comment_id"`
}

// Comment is one entry of a task's history (TaskComment): text, and the
// changes that entry made.
type Comment struct {
	ID                     int64             `json:"id,omitempty" expr:"id"`
	Text                   string            `json:"text,omitempty" expr:"text"`
	FormattedText          string            `json:"formatted_text,omitempty" expr:"formatted_text"`
	Mentions               []int64           `json:"mentions,omitempty" expr:"mentions"`
	Subject                string            `json:"subject,omitempty" expr:"subject"`
	CreateDate             *time.Time        `json:"create_date,omitempty" expr:"create_date"`
	Author                 *Person           `json:"author,omitempty" expr:"author"`
	ReassignedTo           *Person           `json:"reassigned_to,omitempty" expr:"reassigned_to"`
	FieldUpdates           []FormField       `json:"field_updates,omitempty" expr:"field_updates"`
	ApprovalChoice         string            `json:"approval_choice,omitempty" expr:"approval_choice"`
	ApprovalStep           int64             `json:"approval_step,omitempty" expr:"approval_step"`
	ChangedStep            int64             `json:"changed_step,omitempty" expr:"changed_step"`
	ResetToStep            int64             `json:"reset_to_step,omitempty" expr:"reset_to_step"`
	ReplyNoteID            int64             `json:"reply_note_id,omitempty" expr:"reply_note_id"`
	ApprovalsAdded         [][]ApprovalEntry `json:"approvals_added,omitempty" expr:"approvals_added"`
	ApprovalsRemoved       [][]ApprovalEntry `json:"approvals_removed,omitempty" expr:"approvals_removed"`
	ApprovalsRerequested   [][]ApprovalEntry `json:"approvals_rerequested,omitempty" expr:"approvals_rerequested"`
	SubscribersAdded       []*Person         `json:"subscribers_added,omitempty" expr:"subscribers_added"`
	SubscribersRemoved     []*Person         `json:"subscribers_removed,omitempty" expr:"subscribers_removed"`
	SubscribersRerequested []*Person         `json:"subscribers_rerequested,omitempty" expr:"subscribers_rerequested"`
	ParticipantsAdded      []*Person         `json:"participants_added,omitempty" expr:"participants_added"`
	ParticipantsRemoved    []*Person         `json:"participants_removed,omitempty" expr:"participants_removed"`
	DueDate                *time.Time        `json:"due_date,omitempty" expr:"due_date"`
	Due                    *time.Time        `json:"due,omitempty" expr:"due"`
	Duration               int64             `json:"duration,omitempty" expr:"duration"`
	ScheduledDate          *time.Time        `json:"scheduled_date,omitempty" expr:"scheduled_date"`
	ScheduledDatetimeUTC   *time.Time        `json:"scheduled_datetime_utc,omitempty" expr:"scheduled_datetime_utc"`
	CancelSchedule         bool              `json:"cancel_schedule,omitempty" expr:"cancel_schedule"`
	Attachments            []File            `json:"attachments,omitempty" expr:"attachments"`
	Action                 string            `json:"action,omitempty" expr:"action"`
	AddedListIDs           []int64           `json:"added_list_ids,omitempty" expr:"added_list_ids"`
	RemovedListIDs         []int64           `json:"removed_list_ids,omitempty" expr:"removed_list_ids"`
	CommentAsRoles         []Role            `json:"comment_as_roles,omitempty" expr:"comment_as_roles"`
	Channel                *Channel          `json:"channel,omitempty" expr:"channel"`
	EditCommentID          int64             `json:"edit_comment_id,omitempty" expr:"edit_comment_id"`
	DeleteCommentID        int64             `json:"delete_comment_id,omitempty" expr:"delete_comment_id"`
	RemovedAttachmentIDs   []int64           `json:"removed_attachment_ids,omitempty" expr:"removed_attachment_ids"`
	SpentMinutes           int64             `json:"spent_minutes,omitempty" expr:"spent_minutes"`
	SkipSatisfaction       bool              `json:"skip_satisfaction,omitempty" expr:"skip_satisfaction"`
	SMSInfo                *SMSInfo          `json:"sms_info,omitempty" expr:"sms_info"`
}
