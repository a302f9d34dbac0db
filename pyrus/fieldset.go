package pyrus

// FieldSet names form fields by name, code or id, the keys by which a
// rule finds a field. It is read-only once made, and safe to share.
type FieldSet struct {
	keys map[string]struct{}
	ids  map[int64]struct{}
}

// NewFieldSet returns the set of the fields whose name or code is one of
// keys, or whose id is one of ids. An empty key names no field.
func NewFieldSet(keys []string, ids []int64) *FieldSet {
	s := &FieldSet{keys: make(map[string]struct{}, len(keys)), ids: make(map[int64]struct{}, len(ids))}
	for _, k := range keys {
		if k != "" {
			s.keys[k] = struct{}{}
		}
	}
	for _, id := range ids {
		s.ids[id] = struct{}{}
	}
	return s
}

// Has reports whether the set names f.
func (s *FieldSet) Has(f *FormField) bool {
	if _, ok := s.ids[f.ID]; ok {
		return true
	}
	if _, ok := s.keys[f.Name]; ok {
		return true
	}
	_, ok := s.keys[f.Code]
	return ok
}
