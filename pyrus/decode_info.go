package pyrus

// fieldInfo decodes the description of a field, as form definitions carry
// it; tasks rarely do.
func (d *decoder) fieldInfo(v *node) *FieldInfo {
	o := d.object(v)
	if o == nil {
		return nil
	}
	info := new(FieldInfo)
	d.visit(o, func(key []byte, v *node) bool {
		switch string(key) {
		case "requiredstep":
			info.RequiredStep = d.int(v)
		case "immutablestep":
			info.ImmutableStep = d.int(v)
		case "options":
			info.Options = list(d, v, d.choiceOption)
		case "catalogid":
			info.CatalogID = d.int(v)
		case "columns":
			info.Columns = d.fields(v)
		case "fields":
			info.Fields = d.fields(v)
		case "formid":
			info.FormID = d.int(v)
		case "code":
			info.Code = d.str(v)
		case "decimalplaces":
			info.DecimalPlaces = d.int(v)
		case "multiplechoice":
			info.MultipleChoice = d.bool(v)
		case "multiline":
			info.Multiline = d.bool(v)
		default:
			return false
		}
		return true
	})
	return info
}

// choiceOption decodes one option of a multiple choice definition.
func (d *decoder) choiceOption(v *node) (ChoiceOption, bool) {
	var c ChoiceOption
	o := d.object(v)
	if o == nil {
		return c, false
	}
	d.visit(o, func(key []byte, v *node) bool {
		switch string(key) {
		case "choiceid":
			c.ChoiceID = d.int(v)
		case "choicevalue":
			c.ChoiceValue = d.str(v)
		case "deleted":
			c.Deleted = d.bool(v)
		case "fields":
			c.Fields = d.fields(v)
		default:
			return false
		}
		return true
	})
	return c, true
}
