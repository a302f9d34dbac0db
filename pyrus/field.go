package pyrus

// FieldType names the kind of a form field, as in a field's "type" key.
type FieldType = string

// The form field types Pyrus sends. A type not listed here is kept, with
// its value as raw JSON.
const (
	TypeText         FieldType = "text"
	TypeMoney        FieldType = "money"
	TypeNumber       FieldType = "number"
	TypeDate         FieldType = "date"
	TypeTime         FieldType = "time"
	TypeCheckmark    FieldType = "checkmark"
	TypeFlag         FieldType = "flag"
	TypeDueDate      FieldType = "due_date"
	TypeDueDateTime  FieldType = "due_date_time"
	TypeEmail        FieldType = "email"
	TypePhone        FieldType = "phone"
	TypeMultiple     FieldType = "multiple_choice"
	TypeCatalog      FieldType = "catalog"
	TypePerson       FieldType = "person"
	TypeAuthor       FieldType = "author"
	TypeFile         FieldType = "file"
	TypeTitle        FieldType = "title"
	TypeTable        FieldType = "table"
	TypeFormLink     FieldType = "form_link"
	TypeProject      FieldType = "project"
	TypeStep         FieldType = "step"
	TypeStatus       FieldType = "status"
	TypeNote         FieldType = "note"
	TypeCreationDate FieldType = "creation_date"
)

// FormField is one field of a form task, a table cell, or a child of a
// title or of a chosen option.
//
// Value holds the decoded value, typed by Type; nil when Pyrus sent none:
//
//	text, email, phone, note, time, flag, status, checkmark  string
//	money, number                                            float64
//	date, due_date                                           time.Time, date-only (see DecodeOptions)
//	due_date_time                                            time.Time
//	creation_date                                            time.Time, date-only when sent as a date
//	step                                                     int64
//	multiple_choice                                          *MultipleChoice
//	catalog                                                  *Catalog
//	person, author                                           *Person
//	file                                                     []File
//	title                                                    *Title
//	table                                                    []TableRow
//	form_link                                                *FormLink
//	project                                                  *ProjectList
//	any other type                                           json.RawMessage
type FormField struct {
	ID       int64      `json:"id,omitempty" expr:"id"`
	Type     FieldType  `json:"type,omitempty" expr:"type"`
	Name     string     `json:"name,omitempty" expr:"name"`
	Code     string     `json:"code,omitempty" expr:"code"`
	Value    any        `json:"value,omitempty" expr:"value"`
	Info     *FieldInfo `json:"info,omitempty" expr:"info"`
	ParentID int64      `json:"parent_id,omitempty" expr:"parent_id"`
	RowID    int64      `json:"row_id,omitempty" expr:"row_id"`
	Duration int64      `json:"duration,omitempty" expr:"duration"`
}

// FieldInfo describes a field in a form definition; tasks rarely carry it.
type FieldInfo struct {
	RequiredStep   int64          `json:"required_step,omitempty" expr:"required_step"`
	ImmutableStep  int64          `json:"immutable_step,omitempty" expr:"immutable_step"`
	Options        []ChoiceOption `json:"options,omitempty" expr:"options"`
	CatalogID      int64          `json:"catalog_id,omitempty" expr:"catalog_id"`
	Columns        []FormField    `json:"columns,omitempty" expr:"columns"`
	Fields         []FormField    `json:"fields,omitempty" expr:"fields"`
	FormID         int64          `json:"form_id,omitempty" expr:"form_id"`
	Code           string         `json:"code,omitempty" expr:"code"`
	DecimalPlaces  int64          `json:"decimal_places,omitempty" expr:"decimal_places"`
	MultipleChoice bool           `json:"multiple_choice,omitempty" expr:"multiple_choice"`
	Multiline      bool           `json:"multiline,omitempty" expr:"multiline"`
}

// ChoiceOption is one option of a multiple choice field's definition.
type ChoiceOption struct {
	ChoiceID    int64       `json:"choice_id,omitempty" expr:"choice_id"`
	ChoiceValue string      `json:"choice_value,omitempty" expr:"choice_value"`
	Deleted     bool        `json:"deleted,omitempty" expr:"deleted"`
	Fields      []FormField `json:"fields,omitempty" expr:"fields"`
}

// MultipleChoice is the value of a multiple_choice field: the chosen options
// and the child fields that the chosen options carry.
type MultipleChoice struct {
	ChoiceID    int64       `json:"choice_id,omitempty" expr:"choice_id"`
	ChoiceIDs   []int64     `json:"choice_ids,omitempty" expr:"choice_ids"`
	ChoiceNames []string    `json:"choice_names,omitempty" expr:"choice_names"`
	Fields      []FormField `json:"fields,omitempty" expr:"fields"`
}

// Catalog is the value of a catalog field: the chosen items and their rows.
type Catalog struct {
	ItemID  int64      `json:"item_id,omitempty" expr:"item_id"`
	ItemIDs []int64    `json:"item_ids,omitempty" expr:"item_ids"`
	Headers []string   `json:"headers,omitempty" expr:"headers"`
	Values  []string   `json:"values,omitempty" expr:"values"`
	Rows    [][]string `json:"rows,omitempty" expr:"rows"`
}

// Title is the value of a title field: a group of child fields.
type Title struct {
	Checkmark string      `json:"checkmark,omitempty" expr:"checkmark"`
	Fields    []FormField `json:"fields,omitempty" expr:"fields"`
}

// TableRow is one row of a table field.
type TableRow struct {
	RowID    int64       `json:"row_id" expr:"row_id"`
	Cells    []FormField `json:"cells,omitempty" expr:"cells"`
	Deleted  bool        `json:"deleted,omitempty" expr:"deleted"`
	Position int64       `json:"position,omitempty" expr:"position"`
}

// FormLink is the value of a form_link field: links to other tasks.
type FormLink struct {
	TaskID  int64   `json:"task_id,omitempty" expr:"task_id"`
	TaskIDs []int64 `json:"task_ids,omitempty" expr:"task_ids"`
	Subject string  `json:"subject,omitempty" expr:"subject"`
}

// ProjectList is the value of a project field.
type ProjectList struct {
	Projects []Project `json:"projects,omitempty" expr:"projects"`
}

// Project is one project (list) a task belongs to, with its parent.
type Project struct {
	ID     int64    `json:"id,omitempty" expr:"id"`
	Name   string   `json:"name,omitempty" expr:"name"`
	Parent *Project `json:"parent,omitempty" expr:"parent"`
}
