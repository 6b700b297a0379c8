package state

import (
	"context"
	"testing"
)

func TestCursor(t *testing.T) { eachBackend(t, testCursor) }

func testCursor(t *testing.T, path string) {
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("unknown folder", func(t *testing.T) {
		v, last, err := db.Cursor(ctx, "lumina/support@luminahelp.com/INBOX")
		if err != nil || v != 0 || last != 0 {
			t.Fatalf("got %d, %d, %v; want 0, 0, nil", v, last, err)
		}
	})
	t.Run("set and move on", func(t *testing.T) {
		for _, c := range []struct{ v, last uint32 }{{7, 1}, {7, 42}, {8, 0}, {4294967295, 4294967295}} {
			if err := db.SetCursor(ctx, "f", c.v, c.last); err != nil {
				t.Fatal(err)
			}
			v, last, err := db.Cursor(ctx, "f")
			if err != nil || v != c.v || last != c.last {
				t.Fatalf("got %d, %d, %v; want %d, %d", v, last, err, c.v, c.last)
			}
		}
	})
	t.Run("survives reopening", func(t *testing.T) {
		if err := db.SetCursor(ctx, "g", 3, 9); err != nil {
			t.Fatal(err)
		}
		db.Close()
		db2, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db2.Close()
		v, last, err := db2.Cursor(ctx, "g")
		if err != nil || v != 3 || last != 9 {
			t.Fatalf("got %d, %d, %v; want 3, 9", v, last, err)
		}
	})
}
