package camarahooks_test

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const root = "."

// codeBlocks returns the fenced blocks of md with the given info string.
func codeBlocks(t *testing.T, md, lang string) [][]string {
	t.Helper()
	var blocks [][]string
	var cur []string
	in := false
	sc := bufio.NewScanner(strings.NewReader(md))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case !in && line == "```"+lang:
			in, cur = true, nil
		case in && line == "```":
			in = false
			blocks = append(blocks, cur)
		case in:
			cur = append(cur, line)
		}
	}
	if in {
		t.Fatalf("README has an unterminated %s block", lang)
	}
	return blocks
}

// normalize trims each line and drops blank ones, so that indentation and
// spacing may differ between README and code.
func normalize(lines []string) []string {
	var out []string
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func contains(haystack, needle []string) bool {
	for i := 0; i+len(needle) <= len(haystack); i++ {
		match := true
		for j := range needle {
			if haystack[i+j] != needle[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

func TestGoBlocksAreExcerptsOfTests(t *testing.T) {
	md, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var tests [][]string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if strings.HasSuffix(path, "_test.go") && !strings.HasSuffix(path, "readme_test.go") {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			tests = append(tests, normalize(strings.Split(string(b), "\n")))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	blocks := codeBlocks(t, string(md), "go")
	if len(blocks) == 0 {
		t.Fatal("README has no Go blocks")
	}
	for _, block := range blocks {
		want := normalize(block)
		found := false
		for _, src := range tests {
			if contains(src, want) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("README Go block is not an excerpt of any test file (mirror it in an Example):\n%s", strings.Join(block, "\n"))
		}
	}
}

func TestShellCommandsExist(t *testing.T) {
	md, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	ci, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	sawTest := false
	var testCmd []string
	for _, block := range codeBlocks(t, string(md), "sh") {
		for _, line := range normalize(block) {
			cmd, _, _ := strings.Cut(line, "#")
			fields := strings.Fields(cmd)
			switch {
			case len(fields) >= 3 && fields[0] == "go" && fields[1] == "run":
				dir := filepath.Join(root, fields[2])
				if st, err := os.Stat(filepath.Join(dir, "main.go")); err != nil || st.IsDir() {
					t.Errorf("README runs %s, which has no main.go", fields[2])
				}
			case len(fields) >= 2 && fields[0] == "go" && fields[1] == "test":
				if !sawTest {
					testCmd = fields
					if !strings.Contains(string(ci), strings.TrimSpace(cmd)) {
						t.Errorf("README's test command %q is not what .ci/run runs", strings.TrimSpace(cmd))
					}
				}
				sawTest = true
				for _, f := range fields[2:] {
					if strings.HasPrefix(f, "./") && !strings.HasSuffix(f, "...") {
						if _, err := os.Stat(filepath.Join(root, strings.TrimSuffix(f, "/"))); err != nil {
							t.Errorf("README tests %s, which does not exist", f)
						}
					}
				}
			}
		}
	}
	if !sawTest {
		t.Error("README shows no go test command")
	}
	// ./... stops at a nested module, so the command must name each one.
	for _, dir := range modules(t) {
		pattern := "./" + filepath.ToSlash(dir) + "/..."
		if dir == "." {
			pattern = "./..."
		}
		if !slices.Contains(testCmd, pattern) {
			t.Errorf("README's test command %q does not test module %s (add %s)", strings.Join(testCmd, " "), dir, pattern)
		}
	}
}

// modules returns the directories under root that hold a go.mod, relative
// to root.
func modules(t *testing.T) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.Name() == "go.mod" {
			rel, err := filepath.Rel(root, filepath.Dir(path))
			if err != nil {
				return err
			}
			dirs = append(dirs, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(dirs, ".") {
		t.Fatalf("got modules %v, want the root among them", dirs)
	}
	return dirs
}
