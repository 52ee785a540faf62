package camarahooks_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// surface counts the exported identifiers of one package's non-test files,
// by category.
type surface struct {
	types, funcs, methods, consts, vars, fields int
}

func (s surface) total() int {
	return s.types + s.funcs + s.methods + s.consts + s.vars + s.fields
}

// countSurface parses the non-test .go files of dir. A method counts when
// its receiver's type is exported, an interface method or struct field when
// the type that declares it is exported (nested anonymous structs included).
// Embedded fields count under the name they give the field.
func countSurface(t *testing.T, dir string) (surface, bool) {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var s surface
	found := false
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name.Name == "main" {
			continue
		}
		found = true
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() {
					continue
				}
				if d.Recv == nil {
					s.funcs++
				} else if receiverExported(d.Recv.List[0].Type) {
					s.methods++
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch sp := spec.(type) {
					case *ast.TypeSpec:
						if !sp.Name.IsExported() {
							continue
						}
						s.types++
						countMembers(sp.Type, &s)
					case *ast.ValueSpec:
						for _, n := range sp.Names {
							if !n.IsExported() {
								continue
							}
							if d.Tok == token.CONST {
								s.consts++
							} else {
								s.vars++
							}
						}
					}
				}
			}
		}
	}
	return s, found
}

func receiverExported(x ast.Expr) bool {
	for {
		switch r := x.(type) {
		case *ast.StarExpr:
			x = r.X
		case *ast.IndexExpr:
			x = r.X
		case *ast.IndexListExpr:
			x = r.X
		case *ast.Ident:
			return r.IsExported()
		default:
			return false
		}
	}
}

// countMembers adds the exported fields and interface methods of an
// exported type's definition.
func countMembers(x ast.Expr, s *surface) {
	switch tt := x.(type) {
	case *ast.StructType:
		for _, f := range tt.Fields.List {
			if len(f.Names) == 0 { // embedded
				if receiverExported(f.Type) || isExportedSelector(f.Type) {
					s.fields++
				}
			}
			for _, n := range f.Names {
				if n.IsExported() {
					s.fields++
				}
			}
			countMembers(f.Type, s)
		}
	case *ast.InterfaceType:
		for _, m := range tt.Methods.List {
			for _, n := range m.Names {
				if n.IsExported() {
					s.methods++
				}
			}
		}
	case *ast.StarExpr:
		countMembers(tt.X, s)
	case *ast.ArrayType:
		countMembers(tt.Elt, s)
	case *ast.MapType:
		countMembers(tt.Value, s)
	}
}

func isExportedSelector(x ast.Expr) bool {
	if st, ok := x.(*ast.StarExpr); ok {
		x = st.X
	}
	sel, ok := x.(*ast.SelectorExpr)
	return ok && sel.Sel.IsExported()
}

// TestExportedSurface logs the exported identifiers of every package of the
// module and holds the core packages to their targets.
func TestExportedSurface(t *testing.T) {
	counts := map[string]surface{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		base := d.Name()
		if path != "." && (strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_") || base == "testdata") {
			return filepath.SkipDir
		}
		if path != "." {
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir // another module
			}
		}
		if s, ok := countSurface(t, path); ok {
			counts[filepath.ToSlash(path)] = s
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	paths := make([]string, 0, len(counts))
	for p := range counts {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		s := counts[p]
		t.Logf("%-40s %4d  (types %d, funcs %d, methods %d, consts %d, vars %d, fields %d)",
			p, s.total(), s.types, s.funcs, s.methods, s.consts, s.vars, s.fields)
	}

	targets := []struct {
		pkg string
		max int
	}{
		{"events", 253},   // 130 + 65: slices (shape F, 3 enums), geofence, slice booking and assignment, Area (issue 16, kinds1); + 56: SIM swap, insights, data volume, QoS provisioning and booking, congestion, async results (issue 16, kinds2); + 1: Envelope.Header (issue 13); + 1: Envelope.Attribute (issue 15)
		{"receiver", 103}, // 80 + 2: Receiver.Ready, ErrShutdown (issue 14); + 10: a Handlers field per new kind; + 8: HandshakeConfig and its 4 fields, Config.Handshake, 2 outcomes (issue 16); + 2: DedupKey, WithCorrelator (issue 13); + 2: Observation.Route, Observation.Callback (issue 15)
		{"auth", 46},      // +1: ErrUnavailable (issue 14)
	}
	for _, tc := range targets {
		t.Run(tc.pkg, func(t *testing.T) {
			s, ok := counts[tc.pkg]
			if !ok {
				t.Fatalf("package %s not found", tc.pkg)
			}
			if got := s.total(); got > tc.max {
				t.Errorf("%s exports %d identifiers, want at most %d", tc.pkg, got, tc.max)
			}
		})
	}
}
