/* SPDX-License-Identifier: MIT */
/*
 * KVM_CREATE_VM + KVM_TDX_INIT_VM (linux §4.3): user input checked
 * first with clear errors, then HKID, TDR/TDCS pages, TDH.MNG.CREATE
 * under tdx_lock, KEY.CONFIG on one LP of each package, ADDCX, MNG.INIT.
 * A failure after CREATE goes through the full teardown.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmm_internal.h"
#include "tdxsim/abi_names.h"

/* KVM's KVM_SUPPORTED_TD_ATTRS is SEPT_VE_DISABLE; DEBUG is allowed too
 * so that debug TDs (TDH.MEM.RD/WR) can be built. PERFMON is refused:
 * the host does not restore the PMU after a TD exit. */
#define VMM_SUPPORTED_ATTRS (TDX_TD_ATTR_SEPT_VE_DISABLE | TDX_TD_ATTR_DEBUG)

static int check_config(struct vm *vm, const struct td_config *c)
{
	const struct tdx_sys_info *si = &vm->h->sysinfo;
	uint64_t attrs = c->attributes | si->attributes_fixed1;
	uint64_t xfam = (c->xfam ? c->xfam : TDX_XFAM_FIXED1) | si->xfam_fixed1;
	unsigned max = si->max_vcpus_per_td ? si->max_vcpus_per_td : TDX_MAX_VCPUS;

	if (c->attributes & ~VMM_SUPPORTED_ATTRS)
		return vm_fail(vm, -EINVAL, "attributes 0x%llx: only DEBUG (bit 0) and "
			       "SEPT_VE_DISABLE (bit 28) are supported",
			       (unsigned long long)c->attributes);
	if ((attrs & ~si->attributes_fixed0) || (xfam & ~si->xfam_fixed0))
		return vm_fail(vm, -EINVAL, "attributes 0x%llx / xfam 0x%llx are not "
			       "allowed by the module (fixed0 0x%llx / 0x%llx)",
			       (unsigned long long)attrs, (unsigned long long)xfam,
			       (unsigned long long)si->attributes_fixed0,
			       (unsigned long long)si->xfam_fixed0);
	{
		char why[160];

		/* linux §6.5: features whose MSRs the host does not restore
		 * after a TD exit are refused (the attribute check above
		 * already keeps PERFMON out; this names XFAM's). */
		if (vm_host_check_td_features(attrs & ~si->attributes_fixed1, xfam, NULL,
					      why, sizeof(why)))
			return vm_fail(vm, -EINVAL, "%s", why);
	}
	if (!c->vcpus || c->vcpus > max || c->vcpus > platform_nr_lps(vm->h->p))
		return vm_fail(vm, -EINVAL, "%u vCPUs: a TD here may have 1 to %u",
			       c->vcpus, max < platform_nr_lps(vm->h->p) ? max :
			       platform_nr_lps(vm->h->p));
	if (!c->memory_bytes || c->memory_bytes % VMM_PAGE ||
	    c->memory_bytes > (1ULL << 47))
		return vm_fail(vm, -EINVAL, "memory size 0x%llx: must be a non-zero "
			       "multiple of 4 KiB below the shared bit (2^47)",
			       (unsigned long long)c->memory_bytes);
	return 0;
}

static void build_params(const struct vm *vm, struct td_params *p)
{
	const struct tdx_sys_info *si = &vm->h->sysinfo;

	memset(p, 0, sizeof(*p));
	p->attributes = vm->cfg.attributes | si->attributes_fixed1;
	p->xfam = (vm->cfg.xfam ? vm->cfg.xfam : TDX_XFAM_FIXED1) | si->xfam_fixed1;
	p->max_vcpus = (uint16_t)vm->cfg.vcpus;
	p->eptp_controls = TDX_EPTP_MT_WB | (TDX_EPTP_PWL_4 << TDX_EPTP_PWL_SHIFT);
	p->config_flags = TDX_CONFIG_FLAGS_NO_RBP_MOD;
	p->tsc_frequency = 100;   /* KVM: default TSC kHz / 25000; 2.5 GHz */
	memcpy(p->mr_config_id, vm->cfg.mr_config_id, 48);
	memcpy(p->mr_owner, vm->cfg.mr_owner, 48);
	memcpy(p->mr_owner_config, vm->cfg.mr_owner_config, 48);
}

static int key_config_on_cpu(void *arg)
{
	struct vm *vm = arg;
	struct tdx_module_args a = { .rcx = vm->tdr };
	uint64_t s = vm_seamcall(vm, TDH_MNG_KEY_CONFIG, &a);

	return s == TDX_SUCCESS ? 0 : vm_bug(vm, TDH_MNG_KEY_CONFIG, s, &a);
}

static int every_package_online(struct vm *vm)
{
	for (unsigned pkg = 0; pkg < platform_nr_packages(vm->h->p); pkg++) {
		bool online = false;

		for (unsigned lp = 0; lp < platform_nr_lps(vm->h->p); lp++)
			online |= platform_lp_package(vm->h->p, lp) == pkg &&
				  platform_lp_online(vm->h->p, lp);
		if (!online)
			return vm_fail(vm, -EIO, "All packages need to have online CPU "
				       "to create TD. Online CPU and retry.");
	}
	return 0;
}

static int mng_create(struct vm *vm)
{
	struct tdx_module_args a;
	uint64_t s;
	int ret = vm_alloc_page(vm, &vm->tdr);

	if (ret)
		return vm_fail(vm, ret, "no TDX memory for the TDR");
	host_mutex_lock(vm->h, &vm->vmm->tdx_lock);
	a = (struct tdx_module_args){ .rcx = vm->tdr, .rdx = vm->hkid };
	s = vm_seamcall(vm, TDH_MNG_CREATE, &a);
	pthread_mutex_unlock(&vm->vmm->tdx_lock);
	if (s == TDX_RND_NO_ENTROPY) {
		vm_free_page(vm, vm->tdr);
		vm->tdr = 0;
		return vm_fail(vm, -EAGAIN, "TDH.MNG.CREATE: no entropy, try again");
	}
	if (s != TDX_SUCCESS) {
		vm_free_page(vm, vm->tdr);
		vm->tdr = 0;
		return vm_bug(vm, TDH_MNG_CREATE, s, &a);
	}
	vm->hkid_assigned = true;
	return 0;
}

static int configure_keys(struct vm *vm)
{
	int ret = 0;

	for (unsigned pkg = 0; !ret && pkg < platform_nr_packages(vm->h->p); pkg++)
		ret = vm_on_package(vm, pkg, key_config_on_cpu, vm);
	if (!ret) {
		vm->keys_configured = true;
		atomic_fetch_add(&vm->h->nr_configured_hkid, 1);
	}
	return ret;
}

/* Under cpus_read_lock, as KVM: the package rule is checked before the
 * TD exists, so a refusal leaves nothing to tear down. */
static int create_and_configure(struct vm *vm)
{
	int ret;

	host_cpus_read_lock(vm->h);
	ret = every_package_online(vm);
	if (!ret)
		ret = mng_create(vm);
	if (ret) {
		vmm_hkid_free(vm->vmm, vm->hkid);
		vm->hkid = 0;
	} else {
		ret = configure_keys(vm);
	}
	host_cpus_read_unlock(vm->h);
	return ret;
}

static int add_tdcs(struct vm *vm)
{
	unsigned n = vm->h->sysinfo.tdcs_base_size / VMM_PAGE;

	if (!n)
		n = TDX_MIN_NUM_TDCS_PAGES;
	while (vm->n_tdcs < n) {
		struct tdx_module_args a = { .rdx = vm->tdr };
		uint64_t s;

		if (vm_alloc_page(vm, &a.rcx))
			return vm_fail(vm, -ENOMEM, "no TDX memory for TDCS pages");
		s = vm_seamcall(vm, TDH_MNG_ADDCX, &a);
		if (s != TDX_SUCCESS) {
			vm_free_page(vm, a.rcx);
			return s == TDX_RND_NO_ENTROPY ?
				vm_fail(vm, -EAGAIN, "TDH.MNG.ADDCX: no entropy") :
				vm_bug(vm, TDH_MNG_ADDCX, s, &a);
		}
		vm->tdcs[vm->n_tdcs++] = a.rcx;
	}
	return 0;
}

static const char *td_params_field(uint64_t opid)
{
	switch (opid) {
	case TDX_OPERAND_ID_ATTRIBUTES:    return "ATTRIBUTES";
	case TDX_OPERAND_ID_XFAM:          return "XFAM";
	case TDX_OPERAND_ID_EXEC_CONTROLS: return "CONFIG_FLAGS";
	case TDX_OPERAND_ID_EPTP_CONTROLS: return "EPTP_CONTROLS";
	case TDX_OPERAND_ID_MAX_VCPUS:     return "MAX_VCPUS";
	case TDX_OPERAND_ID_CPUID_CONFIG:  return "CPUID_CONFIG";
	case TDX_OPERAND_ID_TSC_FREQUENCY: return "TSC_FREQUENCY";
	default:                           return "TD_PARAMS";
	}
}

static int mng_init(struct vm *vm)
{
	struct td_params p;
	struct tdx_module_args a;
	uint64_t params_pa, s;
	int ret;

	if (!page_alloc_page(vm->h->pages, 0, false, &params_pa))
		return vm_fail(vm, -ENOMEM, "no memory for TD_PARAMS");
	build_params(vm, &p);
	vm->xfam = p.xfam;
	platform_mem_write(vm->h->p, params_pa, &p, sizeof(p));
	a = (struct tdx_module_args){ .rcx = vm->tdr, .rdx = params_pa };
	s = vm_seamcall(vm, TDH_MNG_INIT, &a);
	page_alloc_free(vm->h->pages, params_pa, VMM_PAGE);
	if ((s & TDX_SEAMCALL_STATUS_MASK) == TDX_OPERAND_INVALID)
		return vm_fail(vm, -EINVAL, "TDH.MNG.INIT refused %s (status 0x%016llx)",
			       td_params_field(s & TDX_STATUS_OPERAND_MASK),
			       (unsigned long long)s);
	ret = s == TDX_SUCCESS ? 0 : vm_bug(vm, TDH_MNG_INIT, s, &a);
	if (!ret)
		vm->state = VM_INITIALIZED;
	return ret;
}

static int init_vm(struct vm *vm)
{
	int ret;

	if ((ret = host_td_creation_allowed(vm->h)))
		return vm_fail(vm, ret, "TD creation is not allowed on this host "
			       "(see the kernel log)");
	if ((ret = vmm_hkid_alloc(vm->vmm, &vm->hkid)))
		return vm_fail(vm, -ENOSPC, "no free TDX KeyID: all %u guest KeyIDs "
			       "are in use", vm->vmm->nr_hkids);
	if ((ret = create_and_configure(vm)) || (ret = add_tdcs(vm)) ||
	    (ret = mng_init(vm)))
		return ret;
	/* The root mirrors TDCS page 3, the S-EPT root (abi §5.1). */
	vm->root = mirror_new(vm->tdcs[3]);
	return vm->root ? 0 : vm_fail(vm, -ENOMEM, "out of memory");
}

int vm_create(struct vmm *v, const struct td_config *cfg, struct vm **out,
	      char *err, size_t errlen)
{
	struct vm *vm = calloc(1, sizeof(*vm));
	int ret;

	*out = NULL;
	if (!vm) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	vm->vmm = v;
	vm->h = v->h;
	vm->cfg = *cfg;
	vm->gpaw = 48;
	pthread_mutex_init(&vm->lock, NULL);
	pthread_mutex_init(&vm->err_lock, NULL);
	pthread_rwlock_init(&vm->mmu_lock, NULL);
	vm_kick_init(vm);
	ret = check_config(vm, cfg);
	if (!ret) {
		vm->vcpus = calloc(cfg->vcpus, sizeof(*vm->vcpus));
		vm->n_vcpus = cfg->vcpus;
		ret = vm->vcpus ? init_vm(vm) : vm_fail(vm, -ENOMEM, "out of memory");
	}
	if (ret) {
		snprintf(err, errlen, "%s", vm->err);
		vm_destroy(vm);
		return ret;
	}
	*out = vm;
	return 0;
}
