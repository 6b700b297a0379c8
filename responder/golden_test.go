package responder

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden reply bodies in testdata/golden")

// TestGoldenBodies renders every (language, action, code) of the generic templates,
// and every store's own templates, with fullData, and compares them with the files
// in testdata/golden: a reviewer reads wording changes there as a diff.
// Run `go test ./responder -run Golden -update` after changing a template.
func TestGoldenBodies(t *testing.T) {
	r := newBuiltinRenderer(t)
	for _, store := range storeIDs {
		for _, lang := range Languages {
			var b strings.Builder
			for _, action := range sortedActions() {
				if store != "" {
					if _, own := r.templates[templateKey{fromBuiltin, store, lang, action}]; !own {
						continue
					}
				} else if ForStaff(action) && lang != "en" {
					continue // English only: the fallback is checked elsewhere
				}
				for _, code := range Codes[action] {
					body, _, err := r.Render(store, lang, action, fullData(store, code))
					if err != nil {
						t.Fatalf("%s/%s/%s/%s: %v", orGeneric(store), lang, action, code, err)
					}
					fmt.Fprintf(&b, "======== %s/%s\n%s", action, code, body)
				}
			}
			if b.Len() == 0 {
				continue
			}
			name := filepath.Join("testdata", "golden", orGeneric(store)+"-"+lang+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(name)
			if err != nil {
				t.Fatalf("read golden file (run with -update to create it): %v", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("%s differs from the rendered bodies; run with -update and review the diff.\n%s", name, firstDifference(got, string(want)))
			}
		}
	}
}

// firstDifference shows the first differing line of two texts.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got %q\nwant %q", i+1, gl, wl)
		}
	}
	return ""
}
