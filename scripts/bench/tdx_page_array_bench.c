// SPDX-License-Identifier: GPL-2.0-only
/*
 * tdx_page_array against the bare page allocator.
 *
 * Not part of the series: "make bench" includes this file at the end of
 * tdx.c in its own worktree (scripts/bench.sh), so that it reaches the
 * core's static functions and the two seams the KUnit suite uses, and
 * nothing else.  The TDX module is a static stub behind tdx_pa_seamcall()
 * that frees the pages it is given, inside the timed region; the cache-op
 * seam is a stub that does nothing, called once per 512-entry window.
 *
 * Every measurement is one "tdx_pa_bench:" line in the kernel log;
 * scripts/bench.py turns them into the table.  Under QEMU TCG the times
 * say nothing about hardware: only the ratios within one run are read.
 */

#include <kunit/test.h>
#include <kunit/static_stub.h>
#include <linux/ktime.h>

#define BENCH_PAIRS	101	/* rounds, each one pair; odd: a median pair */
#define BENCH_COSTS	15	/* runs of the stub and CLFLUSH costs */
#define BENCH_CALLS	1000	/* stub calls timed together */
#define BENCH_MAX_NR	12800	/* pages of the largest run */

static const unsigned int bench_sizes[] = { 512, 4096, 12800 };

/* The steps of one instrumented give(), timed at the seams and the ops. */
enum bench_step {
	STEP_META,	/* kvzalloc(), get_zeroed_page(), and their frees */
	STEP_ALLOC,	/* the layout's alloc */
	STEP_POPULATE,	/* listing a window, and the owner change before it */
	STEP_CACHE_OP,	/* the cache-op stub */
	STEP_SEAM,	/* encoding, issuing, the static stub's lookup */
	STEP_MODULE,	/* the module freeing the window */
	STEP_OWNER,	/* the last window's owner change, the return */
	STEP_BASE_ALLOC,	/* the baseline's allocation, same round */
	STEP_BASE_FREE,		/* the baseline's free, same round */
	NR_STEPS
};

struct bench {
	struct page **pages;		/* the baseline's pointer array */
	u64 lent[TDX_PA_ROOT_ENTRIES];	/* the list the module was lent */
	u64 lent_desc;
	long module_pages;		/* the gauge before the case */
	unsigned int calls;		/* SEAMCALLs the module took */
	unsigned int fail_at;		/* the call the module refuses, 1-based */
	bool timing;			/* the seams and ops take times */
	u64 last;			/* the time the last step ended */
	u64 ns[NR_STEPS];
	/* One row's rounds, printed after the last: no console in between. */
	u64 (*round)[4];
	u64 (*steps)[1 + NR_STEPS];
};

static struct bench *bench_of(void)
{
	return kunit_get_current_test()->priv;
}

/* Charge the time since the last step ended to @step. */
static void bench_step(struct bench *b, enum bench_step step)
{
	u64 now;

	if (!b->timing)
		return;
	now = ktime_get_ns();
	b->ns[step] += now - b->last;
	b->last = now;
}

/* Give the pages of an HPA_LIST_INFO to the page allocator. */
static void bench_free_list(u64 hpa_list_info)
{
	u64 *root = pfn_to_kaddr(FIELD_GET(HPA_LIST_INFO_PFN, hpa_list_info));
	unsigned int i, last = FIELD_GET(HPA_LIST_INFO_LAST_ENTRY, hpa_list_info);

	for (i = 0; i <= last; i++)
		__free_page(pfn_to_page(PHYS_PFN(root[i])));
}

/*
 * The trivial TDX module: EXT.MEM.ADD frees what it is given; SPDM.CREATE
 * keeps a copy of the list it is lent and SPDM.DELETE writes it back;
 * everything else (WBINVD) succeeds.  A refused call is a software error,
 * so the module took nothing.
 */
static u64 bench_module(u64 fn, struct tdx_module_args *args)
{
	struct bench *b = bench_of();
	u64 size;

	bench_step(b, STEP_SEAM);
	if (++b->calls == b->fail_at)
		return TDX_SEAMCALL_VMFAILINVALID;

	switch (fn) {
	case TDH_EXT_MEM_ADD:
		bench_free_list(args->rcx);
		break;
	case TDH_SPDM_CREATE:
		b->lent_desc = args->rdx;
		size = FIELD_GET(HPA_ARRAY_T_SIZE, args->rdx);
		if (size)
			memcpy(b->lent, __va(args->rdx & HPA_ARRAY_T_PFN),
			       (size + 1) * sizeof(u64));
		break;
	case TDH_SPDM_DELETE:
		size = FIELD_GET(HPA_ARRAY_T_SIZE, b->lent_desc);
		if (size)
			memcpy(__va(args->rdx), b->lent, (size + 1) * sizeof(u64));
		args->rcx = b->lent_desc;
		break;
	}

	bench_step(b, STEP_MODULE);
	return TDX_SUCCESS;
}

static void bench_cache_op(struct tdx_page_array *array, unsigned int first,
			   unsigned int nr, enum tdx_pa_cache_op op)
{
	struct bench *b = bench_of();

	bench_step(b, STEP_POPULATE);
	bench_step(b, STEP_CACHE_OP);
}

/* The single layout's alloc, timed when the bench asks. */
static int bench_alloc_pages(struct tdx_page_array *array, gfp_t gfp, int nid)
{
	struct bench *b = bench_of();
	int ret;

	bench_step(b, STEP_META);
	ret = tdx_pa_alloc_pages(array, gfp, nid);
	bench_step(b, STEP_ALLOC);
	return ret;
}

/*
 * The single layout's pages in the give() format: in v4 the single layout
 * is HPA_ARRAY_T, lent only and at most 512 entries, so give() of N order-0
 * pages (v3's "single layout") exists only here.
 */
static const struct tdx_page_array_ops bench_order0_ops = {
	.fmt	= &tdx_pa_hpa_list_info,
	.alloc	= bench_alloc_pages,
	.free	= tdx_pa_free_pages,
};

static int bench_init(struct kunit *test)
{
	struct bench *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);

	if (!b)
		return -ENOMEM;
	b->module_pages = atomic_long_read(&tdx_pa_module_pages);
	test->priv = b;

	b->pages = kunit_kcalloc(test, BENCH_MAX_NR, sizeof(*b->pages),
				 GFP_KERNEL);
	b->round = kunit_kcalloc(test, BENCH_PAIRS + 1, sizeof(*b->round),
				 GFP_KERNEL);
	b->steps = kunit_kcalloc(test, BENCH_PAIRS + 1, sizeof(*b->steps),
				 GFP_KERNEL);
	if (!b->pages || !b->round || !b->steps)
		return -ENOMEM;

	kunit_activate_static_stub(test, tdx_pa_seamcall, bench_module);
	kunit_activate_static_stub(test, tdx_pa_cache_op, bench_cache_op);
	return 0;
}

/* Given pages never come back: take them off the gauge again. */
static void bench_exit(struct kunit *test)
{
	struct bench *b = test->priv;

	if (b)
		atomic_long_set(&tdx_pa_module_pages, b->module_pages);
}

/*
 * The baseline: @nr order-0 pages from the bulk allocator, then freed.
 * Clearing each entry while freeing stands for the helper's zeroed array:
 * alloc_pages_bulk() fills only NULL entries.
 */
static int bench_base(struct bench *b, unsigned int nr, u64 *ns)
{
	unsigned long filled = 0, got;
	u64 start = ktime_get_ns(), mid;
	unsigned int i;

	while (filled < nr) {
		got = alloc_pages_bulk(GFP_KERNEL, nr, b->pages);
		if (got == filled)
			break;
		filled = got;
	}
	mid = ktime_get_ns();
	for (i = 0; i < filled; i++) {
		__free_page(b->pages[i]);
		b->pages[i] = NULL;
	}

	*ns = ktime_get_ns() - start;
	b->ns[STEP_BASE_ALLOC] = mid - start;
	b->ns[STEP_BASE_FREE] = start + *ns - mid;
	return filled == nr ? 0 : -ENOMEM;
}

/*
 * Create with @alloc, give (the module frees the pages), free the
 * metadata; the steps are taken only in an instrumented run.
 */
static int bench_give_with(struct bench *b, unsigned int nr, u64 *ns,
			   struct tdx_page_array *(*alloc)(unsigned int nr))
{
	struct tdx_pa_call call = { .fn = TDH_EXT_MEM_ADD, .desc = TDX_PA_REG(rcx) };
	struct tdx_page_array *array;
	u64 start = ktime_get_ns();
	int ret;

	b->last = start;
	array = alloc(nr);
	if (IS_ERR(array))
		return PTR_ERR(array);
	bench_step(b, STEP_META);	/* the return from the constructor */
	ret = tdx_page_array_give(array, &call);
	bench_step(b, STEP_OWNER);
	tdx_page_array_free(array);
	bench_step(b, STEP_META);

	*ns = ktime_get_ns() - start;
	return ret;
}

static struct tdx_page_array *bench_alloc_order0(unsigned int nr)
{
	return tdx_page_array_alloc(&bench_order0_ops, nr, GFP_KERNEL,
				    NUMA_NO_NODE, 0);
}

static int bench_give(struct bench *b, unsigned int nr, u64 *ns)
{
	return bench_give_with(b, nr, ns, bench_alloc_order0);
}

static int bench_give_contig(struct bench *b, unsigned int nr, u64 *ns)
{
	return bench_give_with(b, nr, ns, tdx_page_array_alloc_contig);
}

/* Create, lend, take back (one WBINVD per page), free. */
static int bench_lend(struct bench *b, unsigned int nr, u64 *ns)
{
	u64 start = ktime_get_ns(), id;
	struct tdx_page_array *array;
	int ret;

	array = tdx_page_array_alloc_single(nr, GFP_KERNEL);
	if (IS_ERR(array))
		return PTR_ERR(array);
	ret = tdx_spdm_session_create(0, array, &id);
	if (!ret)
		ret = tdx_spdm_session_delete(id, array);
	tdx_page_array_free(array);

	*ns = ktime_get_ns() - start;
	return ret;
}

/* The baseline inside what the helper adds to it: metadata and root page. */
static int bench_base_meta(struct bench *b, unsigned int nr, u64 *ns)
{
	u64 start = ktime_get_ns(), base;
	struct tdx_page_array *array;
	unsigned long root;
	int ret = -ENOMEM;

	array = kvzalloc(struct_size(array, pages, nr), GFP_KERNEL);
	root = get_zeroed_page(GFP_KERNEL);
	if (array && root)
		ret = bench_base(b, nr, &base);
	free_page(root);
	kvfree(array);

	*ns = ktime_get_ns() - start;
	return ret;
}

struct bench_case {
	const char *name;
	int (*run)(struct bench *b, unsigned int nr, u64 *ns);
	unsigned int max_nr;
	bool steps;		/* also an instrumented run per round */
};

static const struct bench_case bench_cases[] = {
	{ "order0",	 bench_give,	    BENCH_MAX_NR, true },
	{ "meta+root",	 bench_base_meta,   BENCH_MAX_NR },
	{ "contig",	 bench_give_contig, BENCH_MAX_NR },
	{ "hpa_array_t", bench_lend,	    TDX_PA_ROOT_ENTRIES },
};

/*
 * @pairs rounds of baseline B1, baseline B2, helper H, baseline Bx: H
 * follows a baseline, as B2 does, and Bx takes what H leaves behind
 * (after-effect Bx / B2).  The pair's ratio is H / B2, its A/A B2 / B1.
 * With @c->steps a round goes on with an instrumented helper run and a
 * baseline to take its after-effect; its steps are kept next to B2's
 * allocation and free.  The rounds are printed after the last one, so
 * that no console output falls between two runs; a failed round is
 * printed as failed and counted.
 * Return: the failed rounds.
 */
static unsigned int bench_pairs(struct bench *b, const struct bench_case *c,
				unsigned int nr, unsigned int pairs)
{
	unsigned int i, k, failed = 0;
	u64 *ns, *st, after;
	int ret;

	for (i = 0; i <= pairs; i++) {	/* round 0 warms up */
		ns = b->round[i];
		st = b->steps[i];
		ret = bench_base(b, nr, &ns[0]);
		ret = ret ?: bench_base(b, nr, &ns[1]);
		st[1 + STEP_BASE_ALLOC] = b->ns[STEP_BASE_ALLOC];
		st[1 + STEP_BASE_FREE] = b->ns[STEP_BASE_FREE];
		ret = ret ?: c->run(b, nr, &ns[2]);
		ret = ret ?: bench_base(b, nr, &ns[3]);
		if (!ret && c->steps) {
			memset(b->ns, 0, sizeof(b->ns));
			b->timing = true;
			ret = c->run(b, nr, &st[0]);
			b->timing = false;
			for (k = 0; k < STEP_BASE_ALLOC; k++)
				st[1 + k] = b->ns[k];
			ret = ret ?: bench_base(b, nr, &after);
		}
		if (ret) {
			ns[0] = 0;
			ns[1] = ret;
			failed++;
		}
	}

	for (i = 0; i <= pairs; i++) {
		ns = b->round[i];
		st = b->steps[i];
		if (!ns[0])
			pr_info("tdx_pa_bench: failed %s %u %u %d\n", c->name, nr,
				i, (int)ns[1]);
		if (!ns[0] || !i)
			continue;
		pr_info("tdx_pa_bench: pair %s %u %u %llu %llu %llu %llu\n", c->name,
			nr, i, ns[0], ns[1], ns[2], ns[3]);
		if (c->steps)
			pr_info("tdx_pa_bench: steps %s %u %u %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu\n",
				c->name, nr, i, st[0], st[1], st[2], st[3], st[4],
				st[5], st[6], st[7], st[8], st[9]);
	}

	return failed;
}

static void tdx_pa_bench_pairs(struct kunit *test)
{
	const struct bench_case *c;
	unsigned int i;

	for (c = bench_cases; c < bench_cases + ARRAY_SIZE(bench_cases); c++)
		for (i = 0; i < ARRAY_SIZE(bench_sizes); i++)
			if (bench_sizes[i] <= c->max_nr)
				KUNIT_EXPECT_EQ_MSG(test, bench_pairs(test->priv, c,
						    bench_sizes[i], BENCH_PAIRS), 0,
						    "%s, %u pages", c->name, bench_sizes[i]);
}

/* The failed-run check can fail: a module that refuses one give(). */
static void tdx_pa_bench_failed_run(struct kunit *test)
{
	struct bench_case refused = { "refused", bench_give, BENCH_MAX_NR };
	long leaked = atomic_long_read(&tdx_pa_leaked_pages);
	struct bench *b = test->priv;

	/* Two windows a give(), one give() a round: round 2's second window. */
	b->fail_at = 2 * 2 + 2;
	KUNIT_EXPECT_EQ(test, bench_pairs(b, &refused, 1024, 3), 1);
	KUNIT_EXPECT_EQ(test, b->calls, 2 * 3 + 2);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&tdx_pa_leaked_pages), leaked);
}

/* What the stubs cost per call, CLFLUSH per page, metadata per array. */
static void tdx_pa_bench_costs(struct kunit *test)
{
	struct tdx_module_args args = {};
	struct tdx_page_array *array;
	unsigned int i, run;
	size_t size;
	u64 start, ns;

	array = tdx_page_array_alloc_single(TDX_PA_ROOT_ENTRIES, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, array);

	for (run = 0; run < BENCH_COSTS; run++) {
		start = ktime_get_ns();
		for (i = 0; i < BENCH_CALLS; i++)
			tdx_pa_seamcall(0, &args);
		ns = ktime_get_ns() - start;
		start = ktime_get_ns();
		for (i = 0; i < BENCH_CALLS; i++)
			tdx_pa_cache_op(array, 0, array->nr, TDX_PA_FLUSH);
		pr_info("tdx_pa_bench: stubs %llu %llu\n", ns / BENCH_CALLS,
			(ktime_get_ns() - start) / BENCH_CALLS);
	}

	kunit_deactivate_static_stub(test, tdx_pa_cache_op);
	for (run = 0; run < BENCH_COSTS; run++) {
		start = ktime_get_ns();
		tdx_pa_cache_op(array, 0, array->nr, TDX_PA_FLUSH);
		pr_info("tdx_pa_bench: clflush %u %llu\n", array->nr,
			ktime_get_ns() - start);
	}
	tdx_page_array_free(array);

	/* What the allocator hands out for the metadata, not only asks. */
	for (i = 0; i < ARRAY_SIZE(bench_sizes); i++) {
		size = struct_size(array, pages, bench_sizes[i]);
		array = kvzalloc(size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, array);
		pr_info("tdx_pa_bench: metadata %u %zu %zu %zu %lu %d\n",
			bench_sizes[i], sizeof(struct tdx_page_array),
			sizeof(struct page *), is_vmalloc_addr(array) ?
			PAGE_ALIGN(size) : ksize(array), PAGE_SIZE,
			is_vmalloc_addr(array));
		kvfree(array);
	}
}

static struct kunit_case tdx_pa_bench_cases[] = {
	KUNIT_CASE(tdx_pa_bench_failed_run),
	KUNIT_CASE(tdx_pa_bench_costs),
	KUNIT_CASE(tdx_pa_bench_pairs),
	{}
};

static struct kunit_suite tdx_page_array_bench_suite = {
	.name = "tdx_page_array_bench",
	.init = bench_init,
	.exit = bench_exit,
	.test_cases = tdx_pa_bench_cases,
};
kunit_test_suite(tdx_page_array_bench_suite);
