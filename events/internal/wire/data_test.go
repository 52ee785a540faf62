package wire

import (
	"reflect"
	"testing"
)

// TestDataIsZero holds IsZero to Data's fields: setting any one of them
// makes the data non-zero, so a field added without its IsZero term fails.
func TestDataIsZero(t *testing.T) {
	if !new(Data).IsZero() {
		t.Fatal("the zero Data is not IsZero")
	}
	typ := reflect.TypeFor[Data]()
	for i := range typ.NumField() {
		if typ.Field(i).Anonymous { // *Extra: its fields below
			continue
		}
		d := new(Data)
		f := reflect.ValueOf(d).Elem().Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("x")
		case reflect.Int:
			f.SetInt(1)
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 0, 0))
		default:
			t.Fatalf("field %s: kind %s not covered by this test", typ.Field(i).Name, f.Kind())
		}
		if d.IsZero() {
			t.Errorf("Data with %s set is IsZero", typ.Field(i).Name)
		}
	}
}

// TestExtraIsZero is TestDataIsZero for the members in Extra: sent, each
// makes the data non-zero; Extra allocated with none set (a member sent as
// null) leaves it zero.
func TestExtraIsZero(t *testing.T) {
	if d := (&Data{Extra: new(Extra)}); !d.IsZero() {
		t.Error("Data with an empty Extra is not IsZero")
	}
	typ := reflect.TypeFor[Extra]()
	for i := range typ.NumField() {
		d := &Data{Extra: new(Extra)}
		f := reflect.ValueOf(d.Extra).Elem().Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("x")
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
		default:
			t.Fatalf("field %s: kind %s not covered by this test", typ.Field(i).Name, f.Kind())
		}
		if d.IsZero() {
			t.Errorf("Data with %s set is IsZero", typ.Field(i).Name)
		}
	}
}
