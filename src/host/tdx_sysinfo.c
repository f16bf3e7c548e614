/* SPDX-License-Identifier: MIT */
/* Global metadata through TDH.SYS.RD, field by field (linux §3.4). */
#include <errno.h>

#include "host.h"

static int rd(struct host *h, uint64_t field, uint64_t *val)
{
	struct tdx_module_args a = { .rdx = field };
	int ret = host_sc_prerr_ret(h, TDH_SYS_RD, &a);

	if (!ret)
		*val = a.r8;
	return ret;
}

#define RD16(field, dst) do { uint64_t v_; ret = rd(h, field, &v_); if (ret) return ret; (dst) = (uint16_t)v_; } while (0)
#define RD64(field, dst) do { ret = rd(h, field, &(dst)); if (ret) return ret; } while (0)

/*
 * 1.5.01 modules lack MAX_VCPUS_PER_TD; the kernels that drove them (up
 * to 6.15) did not read it, so a missing field is 0 ("not reported"),
 * not a failure (docs/host.md).
 */
static uint16_t max_vcpus(struct host *h)
{
	struct tdx_module_args a = { .rdx = MD_SYS_MAX_VCPUS_PER_TD };

	return host_sc_retry(h, TDH_SYS_RD, &a) == TDX_SUCCESS ? (uint16_t)a.r8 : 0;
}

static int read_cmrs(struct host *h, struct tdx_sys_info *s)
{
	uint16_t n;
	int ret;

	RD16(MD_SYS_NUM_CMRS, n);
	if (n > TDXSIM_MAX_CMRS)
		return -EINVAL;
	s->num_cmrs = n;
	for (unsigned i = 0; i < n; i++) {
		RD64(MD_SYS_CMR_BASE + i, s->cmrs[i].base);
		RD64(MD_SYS_CMR_SIZE + i, s->cmrs[i].size);
	}
	return 0;
}

static int read_tdmr_info(struct host *h, struct tdx_sys_info *s)
{
	uint16_t v;
	int ret;

	RD16(MD_SYS_MAX_TDMRS, v);
	s->limits.max_tdmrs = v;
	RD16(MD_SYS_MAX_RESERVED_PER_TDMR, v);
	s->limits.max_rsvd = v;
	RD16(MD_SYS_PAMT_4K_ENTRY_SIZE, v);
	s->limits.pamt_entry_size[TDX_PS_4K] = v;
	RD16(MD_SYS_PAMT_2M_ENTRY_SIZE, v);
	s->limits.pamt_entry_size[TDX_PS_2M] = v;
	RD16(MD_SYS_PAMT_1G_ENTRY_SIZE, v);
	s->limits.pamt_entry_size[TDX_PS_1G] = v;
	return 0;
}

int host_tdx_read_td_sys_info(struct host *h, struct tdx_sys_info *s)
{
	int ret;

	RD16(MD_SYS_TDR_BASE_SIZE, s->tdr_base_size);
	RD16(MD_SYS_TDCS_BASE_SIZE, s->tdcs_base_size);
	RD16(MD_SYS_TDVPS_BASE_SIZE, s->tdvps_base_size);
	RD64(MD_SYS_ATTRIBUTES_FIXED0, s->attributes_fixed0);
	RD64(MD_SYS_ATTRIBUTES_FIXED1, s->attributes_fixed1);
	RD64(MD_SYS_XFAM_FIXED0, s->xfam_fixed0);
	RD64(MD_SYS_XFAM_FIXED1, s->xfam_fixed1);
	RD16(MD_SYS_NUM_CPUID_CONFIG, s->num_cpuid_config);
	s->max_vcpus_per_td = max_vcpus(h);
	return 0;
}

/* 6.12 reads the TDMR fields and nothing else; mainline reads version,
 * features, TDMR and TD fields (and src/host/ the CMRs it prints). */
int host_tdx_read_sys_info(struct host *h, struct tdx_sys_info *s)
{
	int ret;

	if (h->opt.kernel == HOST_KERNEL_6_12)
		return read_tdmr_info(h, s);
	RD16(MD_SYS_MINOR_VERSION, s->minor);
	RD16(MD_SYS_MAJOR_VERSION, s->major);
	RD16(MD_SYS_UPDATE_VERSION, s->update);
	RD64(MD_SYS_TDX_FEATURES0, s->features0);
	ret = read_tdmr_info(h, s);
	if (!ret)
		ret = host_tdx_read_td_sys_info(h, s);
	return ret ? ret : read_cmrs(h, s);
}
