// SPDX-License-Identifier: GPL-2.0
/*
 * Not part of the series: a reproducer for a VM_BUG_ON in mm/page_isolation.c
 * seen on 7.3.4 with DEBUG_VM (DESIGN-NOTES.md, "Observed in the base tree").
 * Append it to arch/x86/virt/vmx/tdx/tests/tdx_page_array_kunit.c in
 * build/linux, then: make kunit CONFIG=debug
 */

/* THROWAWAY, not for merging: two concurrent alloc_contig_pages(). */
struct race_worker {
	struct completion done;
	unsigned int fails;
};

static int race_fn(void *data)
{
	struct race_worker *w = data;
	struct page *page;
	unsigned int i;

	for (i = 0; i < 200; i++) {
		page = alloc_contig_pages(512, GFP_KERNEL, numa_mem_id(), NULL);
		if (!page) {
			w->fails++;
			continue;
		}
		free_contig_range(page_to_pfn(page), 512);
	}
	complete(&w->done);
	return 0;
}

static void tdx_pa_test_contig_race(struct kunit *test)
{
	struct race_worker *w = kcalloc(2, sizeof(*w), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, w);
	for (i = 0; i < 2; i++) {
		init_completion(&w[i].done);
		kthread_run(race_fn, &w[i], "contig_race%u", i);
	}
	for (i = 0; i < 2; i++)
		if (!wait_for_completion_timeout(&w[i].done, 120 * HZ)) {
			KUNIT_FAIL(test, "worker %u stuck", i);
			return;
		}
	kunit_info(test, "allocation failures: %u, %u", w[0].fails, w[1].fails);
	kfree(w);
}

static struct kunit_case tdx_pa_contig_race_cases[] = {
	KUNIT_CASE_SLOW(tdx_pa_test_contig_race),
	{}
};

static struct kunit_suite tdx_pa_contig_race_suite = {
	.name		= "tdx_pa_contig_race",
	.test_cases	= tdx_pa_contig_race_cases,
};
kunit_test_suite(tdx_pa_contig_race_suite);
