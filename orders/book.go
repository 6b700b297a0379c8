package orders

import (
	"cmp"
	"slices"
	"strings"
)

// Book holds one store's orders, looked up by order number.
type Book struct {
	orders    []*Order
	byName    map[string]*Order
	byFolded  map[string]*Order // folded name -> order; nil value when ambiguous
	byEmail   map[string]*Order // lower-cased buyer address -> order; nil value for several
	products  map[string]*Product
	catalogue []*Product // products by title then SKU, made once: every mail may read it
}

func newBook(list []*Order, products map[string]*Product) *Book {
	b := &Book{
		orders:   list,
		byName:   make(map[string]*Order, len(list)),
		byFolded: make(map[string]*Order, len(list)),
		byEmail:  make(map[string]*Order, len(list)),
		products: products,
	}
	for _, p := range products {
		b.catalogue = append(b.catalogue, p)
	}
	slices.SortFunc(b.catalogue, func(a, c *Product) int {
		return cmp.Or(strings.Compare(a.Title, c.Title), strings.Compare(a.SKU, c.SKU))
	})
	for _, o := range list {
		b.byName[o.Name] = o
		if email := emailKey(o.Email); email != "" {
			if _, seen := b.byEmail[email]; seen {
				b.byEmail[email] = nil
			} else {
				b.byEmail[email] = o
			}
		}
		key := foldName(o.Name)
		if _, seen := b.byFolded[key]; seen {
			b.byFolded[key] = nil
			continue
		}
		b.byFolded[key] = o
	}
	return b
}

// Lookup finds an order by number. name is normally canonical (the export's Name,
// e.g. "#10234" or "AL-204518"); failing an exact match, it also matches when the
// two differ only by letter case, a leading '#', hyphens or spaces, so "10234"
// finds "#10234" and "al204518" finds "AL-204518". A folded form that fits more
// than one order finds none.
func (b *Book) Lookup(name string) (*Order, bool) {
	if b == nil {
		return nil, false
	}
	name = strings.TrimSpace(name)
	if o, ok := b.byName[name]; ok {
		return o, true
	}
	o := b.byFolded[foldName(name)]
	return o, o != nil
}

// OnlyOrderOf returns the customer's order when the export holds exactly one placed
// with that address (case-insensitive), and false when it holds none or several.
func (b *Book) OnlyOrderOf(email string) (*Order, bool) {
	if b == nil || emailKey(email) == "" {
		return nil, false
	}
	o := b.byEmail[emailKey(email)]
	return o, o != nil
}

// emailKey is an address as the book indexes it: trimmed and lower-cased, as
// Order.BoughtBy compares.
func emailKey(addr string) string { return strings.ToLower(strings.TrimSpace(addr)) }

// Len returns the number of orders.
func (b *Book) Len() int {
	if b == nil {
		return 0
	}
	return len(b.orders)
}

// Orders returns the orders in export order. The slice is the book's own: do not
// modify it.
func (b *Book) Orders() []*Order {
	if b == nil {
		return nil
	}
	return b.orders
}

// Products returns the catalogue's product variants, by title then SKU. The slice
// is the book's own: do not modify it.
func (b *Book) Products() []*Product {
	if b == nil {
		return nil
	}
	return b.catalogue
}

// Product returns the product variant with the given SKU (case-insensitive).
func (b *Book) Product(sku string) (*Product, bool) {
	if b == nil {
		return nil, false
	}
	p, ok := b.products[skuKey(sku)]
	return p, ok
}

// foldName reduces an order number to the form customers' variants share.
func foldName(name string) string {
	name = strings.TrimPrefix(strings.TrimSpace(name), "#")
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' || r == '#' {
			return -1
		}
		return r
	}, strings.ToLower(name))
}
