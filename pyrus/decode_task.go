package pyrus

// The decoders below switch on keys normalized by normKey: lower case,
// without underscores ("form_id" and "FormId" are both "formid").

// task decodes a task object; nil when v is absent or not an object.
func (d *decoder) task(v *node) *Task {
	o := d.object(v)
	if o == nil {
		return nil
	}
	t := new(Task)
	d.taskObject(o, t)
	return t
}

// taskObject decodes the members of a task object into t.
func (d *decoder) taskObject(o *node, t *Task) {
	d.visit(o, func(key []byte, v *node) bool {
		return d.taskMain(t, key, v) ||
			d.taskPeople(t, key, v) ||
			d.taskTimes(t, key, v) ||
			d.taskLinks(t, key, v)
	})
}

// taskMain decodes the task's identity, form and history; it reports
// whether it knew the key.
func (d *decoder) taskMain(t *Task, key []byte, v *node) bool {
	switch string(key) {
	case "id":
		t.ID = d.int(v)
	case "text":
		t.Text = d.str(v)
	case "formattedtext":
		t.FormattedText = d.str(v)
	case "subject":
		t.Subject = d.str(v)
	case "formid":
		t.FormID = d.int(v)
	case "fields":
		d.only = d.wanted
		t.Fields = d.fields(v)
		d.only = nil
	case "currentstep":
		t.CurrentStep = d.int(v)
	case "isclosed":
		t.IsClosed = d.bool(v)
	case "comments":
		t.Comments = d.taskComments(v)
	case "lastnoteid":
		t.LastNoteID = d.int(v)
	case "steps":
		t.Steps = list(d, v, d.step)
	default:
		return false
	}
	return true
}

// taskComments decodes a task's comments, or only the newest one when
// the options say so.
func (d *decoder) taskComments(v *node) []*Comment {
	if !d.newest {
		return list(d, v, d.comment)
	}
	a := d.array(v)
	if a == nil {
		return nil
	}
	// As list does, warn about each element that is not an object, and
	// keep the last one that is.
	var newest *node
	at, i := 0, 0
	for e := d.t.child(a, a.self+1); e != nil; e = d.t.child(a, e.next) {
		n := len(d.warns)
		if d.object(e) != nil {
			newest, at = e, i
		}
		if len(d.warns) > n {
			d.prefixIndex(n, i)
		}
		i++
	}
	if newest == nil {
		return nil
	}
	if len(d.comments.free) == 0 {
		d.comments.free = make([]Comment, 1) // not the slab's first two
	}
	n := len(d.warns)
	c, _ := d.comment(newest)
	if len(d.warns) > n {
		d.prefixIndex(n, at)
	}
	return []*Comment{c}
}

// taskPeople decodes who works on the task.
func (d *decoder) taskPeople(t *Task, key []byte, v *node) bool {
	switch string(key) {
	case "author":
		t.Author = d.person(v)
	case "responsible":
		t.Responsible = d.person(v)
	case "participants":
		t.Participants = d.persons(v)
	case "subscribers":
		t.Subscribers = list(d, v, d.subscriber)
	case "approvals":
		t.Approvals = d.approvals(v)
	default:
		return false
	}
	return true
}

// taskTimes decodes the task's dates.
func (d *decoder) taskTimes(t *Task, key []byte, v *node) bool {
	switch string(key) {
	case "createdate":
		t.CreateDate = d.timePtr(v, wantDatetime)
	case "lastmodifieddate":
		t.LastModifiedDate = d.timePtr(v, wantDatetime)
	case "closedate":
		t.CloseDate = d.timePtr(v, wantDatetime)
	case "duedate":
		t.DueDate = d.timePtr(v, wantDate)
	case "due":
		t.Due = d.timePtr(v, wantDatetime)
	case "duration":
		t.Duration = d.int(v)
	case "scheduleddate":
		t.ScheduledDate = d.timePtr(v, wantDate)
	case "scheduleddatetimeutc":
		t.ScheduledDatetimeUTC = d.timePtr(v, wantDatetime)
	case "cancelschedule":
		t.CancelSchedule = d.bool(v)
	default:
		return false
	}
	return true
}

// taskLinks decodes the task's files, lists and related tasks.
func (d *decoder) taskLinks(t *Task, key []byte, v *node) bool {
	switch string(key) {
	case "attachments":
		t.Attachments = d.files(v)
	case "listids":
		t.ListIDs = d.ints(v)
	case "linkedtaskids":
		t.LinkedTaskIDs = d.ints(v)
	case "parenttaskid":
		t.ParentTaskID = d.int(v)
	default:
		return false
	}
	return true
}

// person decodes a person; nil when v is absent or not an object.
func (d *decoder) person(v *node) *Person {
	o := d.object(v)
	if o == nil {
		return nil
	}
	p := d.people.new()
	d.visit(o, func(key []byte, v *node) bool {
		return d.personName(p, key, v) || d.personWork(p, key, v)
	})
	return p
}

// personOK is person for list.
func (d *decoder) personOK(v *node) (*Person, bool) {
	p := d.person(v)
	return p, p != nil
}

// persons decodes an array of persons.
func (d *decoder) persons(v *node) []*Person { return list(d, v, d.personOK) }

// personName decodes who the person is.
func (d *decoder) personName(p *Person, key []byte, v *node) bool {
	switch string(key) {
	case "id":
		p.ID = d.int(v)
	case "firstname":
		p.FirstName = d.str(v)
	case "lastname":
		p.LastName = d.str(v)
	case "email":
		p.Email = d.str(v)
	case "type":
		p.Type = d.str(v)
	case "nativefirstname":
		p.NativeFirstName = d.str(v)
	case "nativelastname":
		p.NativeLastName = d.str(v)
	case "externalid":
		p.ExternalID = d.str(v)
	case "personnelnumber":
		p.PersonnelNumber = d.str(v)
	case "avatarid":
		p.AvatarID = d.int(v)
	case "externalavatarid":
		p.ExternalAvatarID = d.str(v)
	default:
		return false
	}
	return true
}

// personWork decodes the person's place in the organization and contacts.
func (d *decoder) personWork(p *Person, key []byte, v *node) bool {
	switch string(key) {
	case "departmentid":
		p.DepartmentID = d.int(v)
	case "departmentname":
		p.DepartmentName = d.str(v)
	case "position":
		p.Position = d.str(v)
	case "banned":
		p.Banned = d.bool(v)
	case "fired":
		p.Fired = d.bool(v)
	case "status":
		p.Status = d.str(v)
	case "rights":
		p.Rights = d.str(v)
	case "phone":
		p.Phone = d.str(v)
	case "mobilephone":
		p.MobilePhone = d.str(v)
	case "skype":
		p.Skype = d.str(v)
	case "messenger":
		p.Messenger = d.str(v)
	case "taskreceiver":
		p.TaskReceiver = d.bool(v)
	default:
		return false
	}
	return true
}

// approvals decodes approvals by step: an array of arrays, whose outer
// index is the step - 1. A step that is not an array stays in place, empty.
func (d *decoder) approvals(v *node) [][]ApprovalEntry {
	return list(d, v, func(step *node) ([]ApprovalEntry, bool) {
		return list(d, step, d.approval), true
	})
}

// approval decodes one approver of a step.
func (d *decoder) approval(v *node) (ApprovalEntry, bool) {
	var a ApprovalEntry
	o := d.object(v)
	if o == nil {
		return a, false
	}
	d.visit(o, func(key []byte, v *node) bool {
		switch string(key) {
		case "person":
			a.Person = d.person(v)
		case "approvalchoice":
			a.ApprovalChoice = d.str(v)
		case "step":
			a.Step = d.int(v)
		default:
			return false
		}
		return true
	})
	return a, true
}

// subscriber decodes one watcher of a task.
func (d *decoder) subscriber(v *node) (Subscriber, bool) {
	var s Subscriber
	o := d.object(v)
	if o == nil {
		return s, false
	}
	d.visit(o, func(key []byte, v *node) bool {
		switch string(key) {
		case "person":
			s.Person = d.person(v)
		case "approvalchoice":
			s.ApprovalChoice = d.str(v)
		default:
			return false
		}
		return true
	})
	return s, true
}

// step decodes one workflow step of a task.
func (d *decoder) step(v *node) (Step, bool) {
	var s Step
	o := d.object(v)
	if o == nil {
		return s, false
	}
	d.visit(o, func(key []byte, v *node) bool {
		switch string(key) {
		case "step":
			s.Step = d.int(v)
		case "elapsedtime":
			s.ElapsedTime = d.int(v)
		case "name":
			s.Name = d.str(v)
		default:
			return false
		}
		return true
	})
	return s, true
}

// files decodes an array of files.
func (d *decoder) files(v *node) []File { return list(d, v, d.file) }

// file decodes one attached file.
func (d *decoder) file(v *node) (File, bool) {
	var f File
	o := d.object(v)
	if o == nil {
		return f, false
	}
	d.visit(o, func(key []byte, v *node) bool {
		switch string(key) {
		case "id":
			f.ID = d.int(v)
		case "name":
			f.Name = d.str(v)
		case "size":
			f.Size = d.int(v)
		case "md5":
			f.MD5 = d.str(v)
		case "url":
			f.URL = d.str(v)
		case "version":
			f.Version = d.int(v)
		case "rootid":
			f.RootID = d.int(v)
		default:
			return false
		}
		return true
	})
	return f, true
}
