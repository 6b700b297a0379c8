package orders

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
)

// defaultData holds the demo exports of the five stores, one directory per store
// id. defaults/README.md lists each order and the scenario it stands for.
//
//go:embed defaults
var defaultData embed.FS

// Defaults returns the embedded default exports, rooted so that
// Defaults() + "<store>/orders_export.csv" is a store's orders export; pass it to
// LoadDir.
func Defaults() fs.FS {
	sub, err := fs.Sub(defaultData, "defaults")
	if err != nil {
		// fs.Sub fails only for an invalid path; "defaults" is a constant.
		panic(fmt.Sprintf("orders: embedded defaults: %v", err))
	}
	return sub
}

// DefaultStores returns the store ids that have embedded default data, sorted.
func DefaultStores() []string {
	entries, err := fs.ReadDir(defaultData, "defaults")
	if err != nil {
		return nil
	}
	var ids []string
	for _, e := range entries {
		if e.IsDir() {
			ids = append(ids, e.Name())
		}
	}
	slices.Sort(ids)
	return ids
}

// LoadDefault loads the embedded default orders and products of a store.
func LoadDefault(store string) (*Book, error) {
	if !slices.Contains(DefaultStores(), store) {
		return nil, fmt.Errorf("no default orders for store %q (have %v)", store, DefaultStores())
	}
	b, err := LoadDir(Defaults(), store)
	if err != nil {
		return nil, fmt.Errorf("default orders of %s: %w", store, err)
	}
	return b, nil
}
