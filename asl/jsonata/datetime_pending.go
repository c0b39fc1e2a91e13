//go:build jsonata_nodatetime

package jsonata

// defineDateTimeFunctions is empty in builds tagged jsonata_nodatetime,
// used only while picture_datetime.go is not yet in the tree.
func defineDateTimeFunctions() {}
