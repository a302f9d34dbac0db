package pyrus

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// warningStrings renders warnings for comparison.
func warningStrings(ws []Warning) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.String())
	}
	return out
}

// mustDecode decodes a webhook body that must be valid.
func mustDecode(t *testing.T, body string) (*Webhook, []string) {
	t.Helper()
	w, warns, err := DecodeWebhook([]byte(body), DecodeOptions{})
	if err != nil {
		t.Fatalf("DecodeWebhook(%s): %v", body, err)
	}
	return w, warningStrings(warns)
}

func TestDecodeWebhook(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		want  *Webhook
		warns []string
	}{
		{
			name: "snake case",
			body: `{"event":"comment","access_token":"tok","task_id":7,"user_id":9,` +
				`"bot_settings":"{\"a\":1}","task":{"id":7}}`,
			want: &Webhook{Event: "comment", AccessToken: "tok", TaskID: 7, UserID: 9,
				BotSettings: `{"a":1}`, Task: &Task{ID: 7}},
		},
		{
			name: "protocol 3 pascal case",
			body: `{"Event":"comment","AccessToken":"tok","TaskId":7,"UserId":9,` +
				`"BotSettings":"","Task":{"Id":7}}`,
			want: &Webhook{Event: "comment", AccessToken: "tok", TaskID: 7, UserID: 9,
				Task: &Task{ID: 7}},
		},
		{
			name: "upper case and no underscores",
			body: `{"EVENT":"close","ACCESS_TOKEN":"tok","taskid":7,"User_ID":9}`,
			want: &Webhook{Event: "close", AccessToken: "tok", TaskID: 7, UserID: 9},
		},
		{
			name: "no task",
			body: `{"event":"comment","task_id":7}`,
			want: &Webhook{Event: "comment", TaskID: 7},
		},
		{
			name: "empty object",
			body: ` {} `,
			want: &Webhook{},
		},
		{
			name: "empty task",
			body: `{"task":{}}`,
			want: &Webhook{Task: &Task{}},
		},
		{
			name: "unknown keys are ignored",
			body: `{"x":{"y":[1,2,{"z":null}]},"task":{"id":1,"extra":[true]},"v":"w"}`,
			want: &Webhook{Task: &Task{ID: 1}},
		},
		{
			name: "nulls are absent",
			body: `{"event":null,"access_token":null,"task_id":null,"user_id":null,` +
				`"bot_settings":null,"task":null}`,
			want: &Webhook{},
		},
		{
			name:  "task not an object",
			body:  `{"task":"11839954"}`,
			want:  &Webhook{},
			warns: []string{"task: want an object, got a string; counted absent"},
		},
		{
			name: "bot settings sent as an object",
			body: `{"bot_settings":{"limit": 10000, "cfo": "a\u0041"}}`,
			want: &Webhook{BotSettings: `{"limit":10000,"cfo":"a\u0041"}`},
			warns: []string{
				"bot_settings: want a string, got an object; kept its JSON text",
			},
		},
		{
			name: "bot settings object with escaped keys",
			body: `{"bot_settings":{"\u0001\u00e9":[1]}}`,
			want: &Webhook{BotSettings: `{"\u0001\u00e9":[1]}`},
			warns: []string{
				"bot_settings: want a string, got an object; kept its JSON text",
			},
		},
		{
			name: "later duplicate key wins",
			body: `{"task_id":1,"TaskId":2}`,
			want: &Webhook{TaskID: 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warns := mustDecode(t, tt.body)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("webhook (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.warns, warns); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"empty", ``, "body is not JSON: unexpected end of JSON input (at byte 0)"},
		{"spaces", "  \n", "body is not JSON: unexpected end of JSON input (at byte 3)"},
		{"truncated", `{"task":{"id":1}`, "body is not JSON: unexpected end of JSON input (at byte 16)"},
		{"trailing comma", `{"a":1,}`,
			"body is not JSON: invalid character '}' looking for beginning of object key string" +
				" (at byte 8)"},
		{"garbage after", `{} x`,
			"body is not JSON: invalid character 'x' after top-level value (at byte 4)"},
		{"two values", `{}{}`,
			"body is not JSON: invalid character '{' after top-level value (at byte 3)"},
		{"single quotes", `{'a':1}`,
			"body is not JSON: invalid character '\\'' looking for beginning of object key string" +
				" (at byte 2)"},
		{"leading zero", `{"task_id":01}`,
			"body is not JSON: invalid character '1' after object key:value pair (at byte 13)"},
		{"NaN", `{"task_id":NaN}`,
			"body is not JSON: invalid character 'N' looking for beginning of value (at byte 12)"},
		{"nan in unknown key", `{"x":[nan]}`,
			"body is not JSON: invalid character 'a' in literal null (expecting 'u') (at byte 8)"},
		{"inf", `{"task":{"id":-Inf}}`,
			"body is not JSON: invalid character 'I' in numeric literal (at byte 16)"},
		{"bare dot", `{"x":1.}`,
			"body is not JSON: invalid character '}' after decimal point in numeric literal" +
				" (at byte 8)"},
		{"control character", "{\"event\":\"a\tb\"}",
			"body is not JSON: invalid character '\\t' in string literal (at byte 12)"},
		{"control character before escape", "{\"x\":\"\x01\\n\"}",
			"body is not JSON: invalid character '\\x01' in string literal (at byte 7)"},
		{"bad escape", `{"event":"\x41"}`,
			"body is not JSON: invalid character 'x' in string escape code (at byte 12)"},
		{"bad escape in key", `{"ta\sk":1}`,
			"body is not JSON: invalid character 's' in string escape code (at byte 6)"},
		{"short unicode escape", `{"event":"\u12"}`,
			"body is not JSON: invalid character '\"' in \\u hexadecimal character escape" +
				" (at byte 15)"},
		{"array", `[{"task":{}}]`, "body is not a JSON object: got an array"},
		{"string", `"task"`, "body is not a JSON object: got a string"},
		{"number", ` 12 `, "body is not a JSON object: got a number"},
		{"null", `null`, "body is not a JSON object: got null"},
		{"bool", `true`, "body is not a JSON object: got a bool"},
		{"invalid array", `[01]`,
			"body is not JSON: invalid character '1' after array element (at byte 3)"},
		{"too deep for encoding/json", strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
			"body is not JSON: invalid character '[' exceeded max depth (at byte 10001)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, warns, err := DecodeWebhook([]byte(tt.body), DecodeOptions{})
			if err == nil {
				t.Fatalf("DecodeWebhook(%q) = %+v, %v, want error %q", tt.body, w, warns, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q\nwant    %q", err, tt.want)
			}
			if json.Valid([]byte(tt.body)) && strings.HasPrefix(tt.want, "body is not JSON") {
				t.Errorf("encoding/json finds %q valid", tt.body)
			}
			if _, _, err := DecodeTask([]byte(tt.body), DecodeOptions{}); err == nil {
				t.Errorf("DecodeTask did not fail")
			}
		})
	}
}

func TestDecodeDeepBody(t *testing.T) {
	deep := strings.Repeat("[", 400) + strings.Repeat("]", 400)
	w, warns := mustDecode(t, `{"task_id":5,"x":`+deep+`}`)
	want := []string{"body nests more than 300 levels deep; not read"}
	if diff := cmp.Diff(want, warns); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(&Webhook{}, w); diff != "" {
		t.Errorf("webhook (-want +got):\n%s", diff)
	}
	_, _, err := DecodeWebhook([]byte(deep), DecodeOptions{})
	if err == nil || err.Error() != "body is not a JSON object: got an array" {
		t.Errorf("deep array body: error %v", err)
	}
}

func TestDecodeTask(t *testing.T) {
	body := `{"id":"42","form_id":52210,"fields":[{"id":1,"type":"money","value":{}}]}`
	task, warns, err := DecodeTask([]byte(body), DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := &Task{ID: 42, FormID: 52210, Fields: []FormField{{ID: 1, Type: TypeMoney}}}
	if diff := cmp.Diff(want, task); diff != "" {
		t.Errorf("task (-want +got):\n%s", diff)
	}
	wantWarns := []string{
		"id: want an integer, got a string; read as a number",
		"fields[0].value: want a number, got an object; counted absent",
	}
	if diff := cmp.Diff(wantWarns, warningStrings(warns)); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

func TestDecodeTaskPeople(t *testing.T) {
	body := `{"task":{
		"author":{"id":1,"first_name":"Anna","last_name":"Petrova","email":"a@example.com",
			"type":"user","department_id":77,"department_name":"Sales","position":"Head",
			"banned":false,"fired":true,"status":"on leave","avatar_id":5,
			"external_avatar_id":"ext5","rights":"admin","external_id":"E1","phone":"1",
			"mobile_phone":"2","skype":"s","messenger":"m","native_first_name":"Анна",
			"native_last_name":"Петрова","task_receiver":true,"personnel_number":"P-1"},
		"responsible":{"id":2,"type":"bot"},
		"participants":[{"id":3},null,{"id":4}],
		"subscribers":[{"person":{"id":5},"approval_choice":"waiting"}],
		"approvals":[[{"person":{"id":6},"approval_choice":"approved","step":1}],[],
			[{"person":{"id":7},"approval_choice":"waiting"},{"person":{"id":8}}]],
		"steps":[{"step":1,"elapsed_time":3600,"name":"Start"}],
		"attachments":[{"id":9,"name":"a.pdf","size":10,"md5":"AB","url":"u","version":2,
			"root_id":8}],
		"list_ids":[1,2],"linked_task_ids":[3],"parent_task_id":0,"last_note_id":99,
		"current_step":2,"is_closed":true,"form_id":52210,"text":"t","formatted_text":"<b>t</b>",
		"subject":"s","duration":60,"cancel_schedule":true}}`
	w, warns := mustDecode(t, body)
	want := &Task{
		Author: &Person{ID: 1, FirstName: "Anna", LastName: "Petrova", Email: "a@example.com",
			Type: "user", DepartmentID: 77, DepartmentName: "Sales", Position: "Head",
			Fired: true, Status: "on leave", AvatarID: 5, ExternalAvatarID: "ext5",
			Rights: "admin", ExternalID: "E1", Phone: "1", MobilePhone: "2", Skype: "s",
			Messenger: "m", NativeFirstName: "Анна", NativeLastName: "Петрова",
			TaskReceiver: true, PersonnelNumber: "P-1"},
		Responsible:  &Person{ID: 2, Type: "bot"},
		Participants: []*Person{{ID: 3}, {ID: 4}},
		Subscribers:  []Subscriber{{Person: &Person{ID: 5}, ApprovalChoice: "waiting"}},
		Approvals: [][]ApprovalEntry{
			{{Person: &Person{ID: 6}, ApprovalChoice: "approved", Step: 1}},
			nil,
			{{Person: &Person{ID: 7}, ApprovalChoice: "waiting"}, {Person: &Person{ID: 8}}},
		},
		Steps:       []Step{{Step: 1, ElapsedTime: 3600, Name: "Start"}},
		Attachments: []File{{ID: 9, Name: "a.pdf", Size: 10, MD5: "AB", URL: "u", Version: 2, RootID: 8}},
		ListIDs:     []int64{1, 2}, LinkedTaskIDs: []int64{3}, LastNoteID: 99,
		CurrentStep: 2, IsClosed: true, FormID: 52210, Text: "t", FormattedText: "<b>t</b>",
		Subject: "s", Duration: 60, CancelSchedule: true,
	}
	if diff := cmp.Diff(want, w.Task); diff != "" {
		t.Errorf("task (-want +got):\n%s", diff)
	}
	if len(warns) > 0 {
		t.Errorf("warnings: %q", warns)
	}
}

func TestDecodeComment(t *testing.T) {
	body := `{"task":{"comments":[{
		"id":50001,"text":"ok","formatted_text":"<p>ok</p>","mentions":[1,2],"subject":"s",
		"create_date":"2025-03-05T10:00:00Z","author":{"id":1},"reassigned_to":{"id":2},
		"field_updates":[{"id":1,"type":"money","value":1497.88}],
		"approval_choice":"approved","approval_step":2,"changed_step":3,"reset_to_step":1,
		"reply_note_id":50000,
		"approvals_added":[[{"person":{"id":3}}]],"approvals_removed":[[],[{"person":{"id":4}}]],
		"approvals_rerequested":[[{"person":{"id":5},"step":1}]],
		"subscribers_added":[{"id":6}],"subscribers_removed":[{"id":7}],
		"subscribers_rerequested":[{"id":8}],
		"participants_added":[{"id":9}],"participants_removed":[{"id":10}],
		"due_date":"2025-03-14","due":"2025-03-14T12:00:00Z","duration":30,
		"scheduled_date":"2025-03-10","scheduled_datetime_utc":"2025-03-10T06:00:00Z",
		"cancel_schedule":true,"attachments":[{"id":11,"name":"b.png"}],"action":"finished",
		"added_list_ids":[12],"removed_list_ids":[13],
		"comment_as_roles":[{"id":14,"name":"Support"}],
		"channel":{"type":"email","phone":"p","direction":"in",
			"to":{"email":"to@example.com","name":"To"},"from":{"email":"f@example.com"}},
		"edit_comment_id":15,"delete_comment_id":16,"removed_attachment_ids":[17],
		"spent_minutes":45,"skip_satisfaction":true,
		"sms_info":{"error_code":42,"status":"sent","error_message":"","sent_comment_id":18}}]}}`
	w, warns := mustDecode(t, body)
	date := func(s string) *time.Time {
		d, _ := time.Parse(time.DateOnly, s)
		d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, dateOnlyUTC)
		return &d
	}
	instant := func(s string) *time.Time {
		d, _ := time.Parse(time.RFC3339, s)
		return &d
	}
	want := &Comment{
		ID: 50001, Text: "ok", FormattedText: "<p>ok</p>", Mentions: []int64{1, 2},
		Subject: "s", CreateDate: instant("2025-03-05T10:00:00Z"), Author: &Person{ID: 1},
		ReassignedTo:   &Person{ID: 2},
		FieldUpdates:   []FormField{{ID: 1, Type: TypeMoney, Value: 1497.88}},
		ApprovalChoice: "approved", ApprovalStep: 2, ChangedStep: 3, ResetToStep: 1,
		ReplyNoteID:          50000,
		ApprovalsAdded:       [][]ApprovalEntry{{{Person: &Person{ID: 3}}}},
		ApprovalsRemoved:     [][]ApprovalEntry{nil, {{Person: &Person{ID: 4}}}},
		ApprovalsRerequested: [][]ApprovalEntry{{{Person: &Person{ID: 5}, Step: 1}}},
		SubscribersAdded:     []*Person{{ID: 6}}, SubscribersRemoved: []*Person{{ID: 7}},
		SubscribersRerequested: []*Person{{ID: 8}},
		ParticipantsAdded:      []*Person{{ID: 9}}, ParticipantsRemoved: []*Person{{ID: 10}},
		DueDate: date("2025-03-14"), Due: instant("2025-03-14T12:00:00Z"), Duration: 30,
		ScheduledDate:        date("2025-03-10"),
		ScheduledDatetimeUTC: instant("2025-03-10T06:00:00Z"),
		CancelSchedule:       true, Attachments: []File{{ID: 11, Name: "b.png"}},
		Action: "finished", AddedListIDs: []int64{12}, RemovedListIDs: []int64{13},
		CommentAsRoles: []Role{{ID: 14, Name: "Support"}},
		Channel: &Channel{Type: "email", Phone: "p", Direction: "in",
			To:   &ChannelContact{Email: "to@example.com", Name: "To"},
			From: &ChannelContact{Email: "f@example.com"}},
		EditCommentID: 15, DeleteCommentID: 16, RemovedAttachmentIDs: []int64{17},
		SpentMinutes: 45, SkipSatisfaction: true,
		SMSInfo: &SMSInfo{ErrorCode: "42", Status: "sent", SentCommentID: 18},
	}
	if diff := cmp.Diff([]*Comment{want}, w.Task.Comments); diff != "" {
		t.Errorf("comments (-want +got):\n%s", diff)
	}
	if len(warns) > 0 {
		t.Errorf("warnings: %q", warns)
	}
}

func TestWarningString(t *testing.T) {
	tests := []struct {
		name string
		w    Warning
		want string
	}{
		{"with path", Warning{"task.id", "want an integer"}, "task.id: want an integer"},
		{"whole body", Warning{"", "body nests"}, "body nests"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.w.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWarningPaths(t *testing.T) {
	body := `{"Task":{"Fields":[{"id":1},{"Type":"title","Value":{"Fields":[
		{"type":"number","VALUE":[1]}]}}],"odd key":{"id":{}},"Comments":[{"Author":{"Id":"x"}}]},
		"task_id":"x"}`
	_, warns := mustDecode(t, body)
	want := []string{
		"Task.Fields[1].Value.Fields[0].VALUE: want a number, got an array; counted absent",
		"Task.Comments[0].Author.Id: want an integer, got a string; counted absent",
		"task_id: want an integer, got a string; counted absent",
	}
	if diff := cmp.Diff(want, warns); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

func TestWarningPathQuotesOddKeys(t *testing.T) {
	d := newDecoder(new(tree), DecodeOptions{})
	d.warn("bad")
	d.prefixKey(0, []byte("a b"))
	d.prefixIndex(0, 2)
	d.prefixKey(0, []byte("task"))
	want := `task[2]["a b"]: bad`
	if got := d.warns[0].String(); got != want {
		t.Errorf("path = %q, want %q", got, want)
	}
}

func TestWarningsAreBounded(t *testing.T) {
	body := `{"task":{"list_ids":[` + strings.Repeat(`"a",`, 150) + `"a"]}}`
	_, warns := mustDecode(t, body)
	if len(warns) != maxWarnings+1 {
		t.Fatalf("got %d warnings, want %d", len(warns), maxWarnings+1)
	}
	if last := warns[len(warns)-1]; last != "51 more warnings left out" {
		t.Errorf("last warning = %q", last)
	}
}
