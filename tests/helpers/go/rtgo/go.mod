module facet.test/rtgo

go 1.19
