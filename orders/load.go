package orders

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"time"
)

// File names of a store's exports, as Shopify names them.
const (
	OrdersFile   = "orders_export.csv"
	ProductsFile = "products_export.csv"
)

// Option adjusts how exports are read.
type Option func(*loadConfig)

type loadConfig struct {
	loc *time.Location
}

// InLocation sets the location for timestamps written without a zone offset
// ("2026-10-05 14:32:10", "2026-10-05"). Shopify always writes an offset; pass the
// store's time zone so hand-edited files are read as the store meant them. The
// default is UTC.
func InLocation(loc *time.Location) Option {
	return func(c *loadConfig) {
		if loc != nil {
			c.loc = loc
		}
	}
}

// Load reads one store's orders export and, when productsCSV is not nil, its
// products export, and joins line items to products by SKU.
//
// What makes loading fail (the error names file, line and column, and lists up
// to 20 problems at once so a file can be fixed in one pass):
//   - a CSV syntax error, or a missing required column (orders: Name, Email,
//     Created at; products: Handle, Variant SKU);
//   - a row without Name, or an order whose rows carry no Email or Created at:
//     the sender check and every time window need them;
//   - any unparsable timestamp, amount, quantity or TRUE/FALSE value, optional
//     column or not: a silently dropped delivery date or compare-at price would
//     give a wrong decision, which is worse than refusing to start.
//
// Empty cells are never errors (besides the above): an order without Fulfilled at
// is unfulfilled, a line without compare-at price is not discounted, and so on.
// Unknown columns are ignored and column order is free.
func Load(ordersCSV, productsCSV io.Reader, opts ...Option) (*Book, error) {
	return load(OrdersFile, ordersCSV, ProductsFile, productsCSV, opts)
}

// LoadDir reads dir/orders_export.csv and, when present, dir/products_export.csv
// from fsys. Without a products export, line items have no Product: no category,
// and only order tags count for final sale and personalisation.
func LoadDir(fsys fs.FS, dir string, opts ...Option) (*Book, error) {
	ordersName := path.Join(dir, OrdersFile)
	of, err := fsys.Open(ordersName)
	if err != nil {
		return nil, fmt.Errorf("open orders export: %w", err)
	}
	defer of.Close()

	productsName := path.Join(dir, ProductsFile)
	var products io.Reader
	pf, err := fsys.Open(productsName)
	switch {
	case err == nil:
		defer pf.Close()
		products = pf
	case errors.Is(err, fs.ErrNotExist):
	default:
		return nil, fmt.Errorf("open products export: %w", err)
	}
	return load(ordersName, of, productsName, products, opts)
}

func load(ordersName string, ordersCSV io.Reader, productsName string, productsCSV io.Reader, opts []Option) (*Book, error) {
	cfg := loadConfig{loc: time.UTC}
	for _, o := range opts {
		o(&cfg)
	}
	if ordersCSV == nil {
		return nil, fmt.Errorf("%s: no orders export given", ordersName)
	}
	var products map[string]*Product
	if productsCSV != nil {
		var err error
		if products, err = readProducts(productsName, productsCSV); err != nil {
			return nil, err
		}
	}
	list, err := readOrders(ordersName, ordersCSV, cfg.loc)
	if err != nil {
		return nil, err
	}
	for _, o := range list {
		for i := range o.Items {
			if sku := skuKey(o.Items[i].SKU); sku != "" {
				o.Items[i].Product = products[sku]
			}
		}
	}
	return newBook(list, products), nil
}

func skuKey(sku string) string { return strings.ToLower(strings.TrimSpace(sku)) }
