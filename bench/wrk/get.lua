-- A plain GET of the URL given to wrk (pass a Cookie with -H when the page needs one).
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
