package pyrus

// comment decodes one comment of a task.
func (d *decoder) comment(v *node) (*Comment, bool) {
	o := d.object(v)
	if o == nil {
		return nil, false
	}
	c := d.comments.new()
	d.visit(o, func(key []byte, v *node) bool {
		return d.commentMain(c, key, v) ||
			d.commentSteps(c, key, v) ||
			d.commentPeople(c, key, v) ||
			d.commentSchedule(c, key, v) ||
			d.commentEdits(c, key, v)
	})
	return c, true
}

// commentMain decodes what the comment says and where it came from; it
// reports whether it knew the key.
func (d *decoder) commentMain(c *Comment, key []byte, v *node) bool {
	switch string(key) {
	case "id":
		c.ID = d.int(v)
	case "text":
		c.Text = d.str(v)
	case "formattedtext":
		c.FormattedText = d.str(v)
	case "mentions":
		c.Mentions = d.ints(v)
	case "subject":
		c.Subject = d.str(v)
	case "createdate":
		c.CreateDate = d.timePtr(v, wantDatetime)
	case "author":
		c.Author = d.person(v)
	case "fieldupdates":
		c.FieldUpdates = d.fields(v)
	case "replynoteid":
		c.ReplyNoteID = d.int(v)
	case "action":
		c.Action = d.str(v)
	case "attachments":
		c.Attachments = d.files(v)
	case "channel":
		c.Channel = d.channel(v)
	case "commentasroles":
		c.CommentAsRoles = list(d, v, d.role)
	case "smsinfo":
		c.SMSInfo = d.smsInfo(v)
	default:
		return false
	}
	return true
}

// commentSteps decodes the approval and workflow changes of the comment.
func (d *decoder) commentSteps(c *Comment, key []byte, v *node) bool {
	switch string(key) {
	case "approvalchoice":
		c.ApprovalChoice = d.str(v)
	case "approvalstep":
		c.ApprovalStep = d.int(v)
	case "changedstep":
		c.ChangedStep = d.int(v)
	case "resettostep":
		c.ResetToStep = d.int(v)
	case "approvalsadded":
		c.ApprovalsAdded = d.approvals(v)
	case "approvalsremoved":
		c.ApprovalsRemoved = d.approvals(v)
	case "approvalsrerequested":
		c.ApprovalsRerequested = d.approvals(v)
	default:
		return false
	}
	return true
}

// commentPeople decodes the people the comment added or removed.
func (d *decoder) commentPeople(c *Comment, key []byte, v *node) bool {
	switch string(key) {
	case "reassignedto":
		c.ReassignedTo = d.person(v)
	case "subscribersadded":
		c.SubscribersAdded = d.persons(v)
	case "subscribersremoved":
		c.SubscribersRemoved = d.persons(v)
	case "subscribersrerequested":
		c.SubscribersRerequested = d.persons(v)
	case "participantsadded":
		c.ParticipantsAdded = d.persons(v)
	case "participantsremoved":
		c.ParticipantsRemoved = d.persons(v)
	default:
		return false
	}
	return true
}

// commentSchedule decodes the due date and schedule changes of the comment.
func (d *decoder) commentSchedule(c *Comment, key []byte, v *node) bool {
	switch string(key) {
	case "duedate":
		c.DueDate = d.timePtr(v, wantDate)
	case "due":
		c.Due = d.timePtr(v, wantDatetime)
	case "duration":
		c.Duration = d.int(v)
	case "scheduleddate":
		c.ScheduledDate = d.timePtr(v, wantDate)
	case "scheduleddatetimeutc":
		c.ScheduledDatetimeUTC = d.timePtr(v, wantDatetime)
	case "cancelschedule":
		c.CancelSchedule = d.bool(v)
	case "spentminutes":
		c.SpentMinutes = d.int(v)
	default:
		return false
	}
	return true
}

// commentEdits decodes list changes, edits of other comments and the
// service desk flags.
func (d *decoder) commentEdits(c *Comment, key []byte, v *node) bool {
	switch string(key) {
	case "addedlistids":
		c.AddedListIDs = d.ints(v)
	case "removedlistids":
		c.RemovedListIDs = d.ints(v)
	case "editcommentid":
		c.EditCommentID = d.int(v)
	case "deletecommentid":
		c.DeleteCommentID = d.int(v)
	case "removedattachmentids":
		c.RemovedAttachmentIDs = d.ints(v)
	case "skipsatisfaction":
		c.SkipSatisfaction = d.bool(v)
	default:
		return false
	}
	return true
}

// role decodes a role a comment was written as.
func (d *decoder) role(v *node) (Role, bool) {
	var r Role
	o := d.object(v)
	if o == nil {
		return r, false
	}
	d.visit(o, func(key []byte, v *node) bool {
		switch string(key) {
		case "id":
			r.ID = d.int(v)
		case "name":
			r.Name = d.str(v)
		default:
			return false
		}
		return true
	})
	return r, true
}

// channel decodes the outside channel of a comment.
func (d *decoder) channel(v *node) *Channel {
	o := d.object(v)
	if o == nil {
		return nil
	}
	c := new(Channel)
	d.visit(o, func(key []byte, v *node) bool {
		switch string(key) {
		case "type":
			c.Type = d.str(v)
		case "phone":
			c.Phone = d.str(v)
		case "direction":
			c.Direction = d.str(v)
		case "to":
			c.To = d.contact(v)
		case "from":
			c.From = d.contact(v)
		default:
			return false
		}
		return true
	})
	return c
}

// contact decodes one end of a channel.
func (d *decoder) contact(v *node) *ChannelContact {
	o := d.object(v)
	if o == nil {
		return nil
	}
	c := new(ChannelContact)
	d.visit(o, func(key []byte, v *node) bool {
		switch string(key) {
		case "email":
			c.Email = d.str(v)
		case "name":
			c.Name = d.str(v)
		default:
			return false
		}
		return true
	})
	return c
}

// smsInfo decodes the SMS report of a comment.
func (d *decoder) smsInfo(v *node) *SMSInfo {
	o := d.object(v)
	if o == nil {
		return nil
	}
	s := new(SMSInfo)
	d.visit(o, func(key []byte, v *node) bool {
		switch string(key) {
		case "errorcode":
			s.ErrorCode = d.str(v)
		case "status":
			s.Status = d.str(v)
		case "errormessage":
			s.ErrorMessage = d.str(v)
		case "sentcommentid":
			s.SentCommentID = d.int(v)
		default:
			return false
		}
		return true
	})
	return s
}
