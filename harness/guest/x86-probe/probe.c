/*
 * emuflock's x86 probe guest: a bare-metal stand-in for a Linux guest's virtio-blk start-up.
 *
 * Booted by qboot as a multiboot kernel, it takes the steps of a Linux guest's start-up that
 * reach QEMU's device and interrupt set-up, and nothing else: number the PCI bridges, assign
 * memory BARs and bridge windows, enable MSI-X with one vector for config changes and one per
 * virtqueue (as virtio_pci's vp_find_vqs_msix does), negotiate VERSION_1 (and MQ), set up and
 * enable every virtqueue, set DRIVER_OK, and read sector 0 of each disk. virtio-net devices are
 * counted (the ready marker's nics=), not driven: they get no vectors. It speaks the guest
 * protocol (DESIGN.md) on COM1 and leaves through isa-debug-exit: QEMU's exit status tells
 * success from failure. A Linux guest under nested KVM takes minutes; this takes seconds.
 *
 * Interrupts stay disabled: completions are found by polling each used ring. The device still
 * signals every completion through its MSI-X vector, so QEMU still sets up a route and an
 * irqfd per vector at DRIVER_OK and notifies through them.
 *
 * Kernel command line (multiboot passes QEMU's -append):
 *   emuflock.disks=N          disks expected
 *   emuflock.probe_timeout=S  give up S seconds after the init marker
 *   emuflock.hold=1           after the ready marker, halt instead of exiting (QEMU is told to quit)
 *   emuflock.answer=1         after the ready marker, exit only once a byte arrives on COM1 (or
 *                             10 s without one): the harness counts QEMU's fds first
 */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

#define EXIT_SUCCESS_CODE 0x10 /* QEMU exits with (0x10 << 1) | 1 = 33: harness/arch/x86_64.ts */
#define EXIT_FAILURE_CODE 0x11 /* 35 */
#define QUEUE_SIZE 4           /* ring entries; a read needs 3 descriptors */

/* ---- port and memory access ---- */

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(u16 port, u32 v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u16 inw(u16 port) { u16 v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u32 inl(u16 port) { u32 v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void outw(u16 port, u16 v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }

static inline u8 rd8(u32 a) { return *(volatile u8 *)a; }
static inline u16 rd16(u32 a) { return *(volatile u16 *)a; }
static inline u32 rd32(u32 a) { return *(volatile u32 *)a; }
static inline void wr8(u32 a, u8 v) { *(volatile u8 *)a = v; }
static inline void wr16(u32 a, u16 v) { *(volatile u16 *)a = v; }
static inline void wr32(u32 a, u32 v) { *(volatile u32 *)a = v; }
/* x86 keeps stores in order; the compiler must too, around ring updates. */
#define barrier() __asm__ volatile("" ::: "memory")

/* ---- serial console (COM1) ---- */

#define COM1 0x3f8

static void serial_init(void)
{
	outb(COM1 + 1, 0x00); /* no UART interrupts */
	outb(COM1 + 3, 0x80); /* divisor latch: 115200 baud */
	outb(COM1 + 0, 0x01);
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8N1 */
	outb(COM1 + 2, 0x07); /* FIFO on, cleared */
}

static void putc(char c)
{
	while (!(inb(COM1 + 5) & 0x20)) /* transmit holding register empty */
		;
	outb(COM1, (u8)c);
}

static void puts(const char *s)
{
	while (*s) {
		if (*s == '\n')
			putc('\r');
		putc(*s++);
	}
}

static void putu(u32 v)
{
	char buf[11];
	int i = 10;
	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	puts(&buf[i]);
}

/* ---- time: the TSC, calibrated against PIT channel 2 ---- */

static inline u64 rdtsc(void)
{
	u32 lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/* n / d without libgcc's __udivdi3 (none for -m32 here): two 32-bit divl steps; the
 * quotient is assumed to fit 32 bits (centiseconds: 497 days). */
static u32 div64_32(u64 n, u32 d)
{
	u32 hi = (u32)(n >> 32), lo = (u32)n, q, r = hi % d;
	__asm__("divl %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(r), "rm"(d));
	return q;
}

static u32 tsc_khz;
static u64 tsc_start;

/*
 * One reading of PIT channel 2 (1.193182 MHz, counting down) with the TSC just before it.
 * The read-back command latches count and status together; status bit 7 is the output,
 * which in mode 0 goes high once the count has passed zero. Returns how many TSC ticks the
 * reading took: its uncertainty.
 */
static u32 pit_sample(u32 *count, int *wrapped, u64 *tsc)
{
	u64 before = rdtsc();
	outb(0x43, 0xc8); /* read-back: latch count and status of channel 2 */
	u32 status = inb(0x42), lo = inb(0x42), hi = inb(0x42);
	u64 after = rdtsc();
	*count = lo | hi << 8;
	*wrapped = (status & 0x80) != 0;
	*tsc = before;
	return (u32)(after - before);
}

/* The tightest of a few readings: a vCPU preempted mid-reading (a busy host) shows as a wide one. */
static void pit_best_sample(u32 *count, int *wrapped, u64 *tsc)
{
	u32 best = 0xffffffff;
	for (int i = 0; i < 8; i++) {
		u32 c, width;
		int w;
		u64 t;
		width = pit_sample(&c, &w, &t);
		if (width < best) {
			best = width;
			*count = c;
			*wrapped = w;
			*tsc = t;
		}
	}
}

/*
 * The TSC's rate against PIT channel 2 counting down from 0xffff in mode 0 (55 ms): TSC and
 * counter read together at the start and again 40000 PIT ticks (34 ms) later. Waiting for the
 * PIT's output instead would add however long the vCPU was descheduled after the count ran
 * out; a vCPU descheduled past the wrap (the output is high then) tries again.
 */
static void calibrate_tsc(void)
{
	for (int attempt = 0; attempt < 20; attempt++) {
		u32 c0, c1;
		int w0, w1;
		u64 t0, t1;
		outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate channel 2 on, speaker off */
		outb(0x43, 0xb0);                       /* channel 2, low then high byte, mode 0 */
		outb(0x42, 0xff);
		outb(0x42, 0xff);
		pit_best_sample(&c0, &w0, &t0);
		do
			pit_best_sample(&c1, &w1, &t1);
		while (!w1 && c0 - c1 < 40000);
		if (w0 || w1)
			continue;
		/* kHz = TSC ticks / (PIT ticks / 1193182 Hz) / 1000 */
		tsc_khz = div64_32((t1 - t0) * 1193182, (c0 - c1) * 1000);
		return;
	}
	tsc_khz = 1000000; /* never reached in practice: uptimes then assume 1 GHz */
}

/*
 * uptime: seconds since the probe's entry, with two decimals. Like a Linux guest's
 * /proc/uptime it leaves out the firmware's time before the kernel starts.
 */
static void put_uptime(void)
{
	u32 cs = div64_32(rdtsc() - tsc_start, tsc_khz * 10);
	putu(cs / 100);
	putc('.');
	putc((char)('0' + cs / 10 % 10));
	putc((char)('0' + cs % 10));
}

/* ---- the guest protocol ---- */

static u32 expected;
static u32 probe_timeout_s = 600;
static int hold;
static int answer;
static u32 found, done;
static u32 nics; /* virtio-net devices seen on the buses: counted, not driven */

static void leave(u8 code)
{
	while (!(inb(COM1 + 5) & 0x40)) /* every byte handed to QEMU before it exits */
		;
	outb(0xf4, code); /* isa-debug-exit */
	for (;;)
		__asm__ volatile("cli; hlt");
}

static void fail(const char *reason, u32 disks)
{
	puts("EMUFLOCK failed reason=");
	puts(reason);
	puts(" disks=");
	putu(disks);
	puts(" expected=");
	putu(expected);
	puts(" uptime=");
	put_uptime();
	puts("\n");
	leave(EXIT_FAILURE_CODE);
}

/* The probe timeout runs from the init marker; anything that waits on a device checks it. */
static u64 deadline;

static void check_deadline(void)
{
	if (rdtsc() > deadline)
		fail("timeout", done);
}

/* ---- multiboot information: memory size and command line ---- */

struct multiboot_info {
	u32 flags, mem_lower, mem_upper, boot_device, cmdline;
};

static int starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

static u32 parse_u32(const char *s)
{
	u32 v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (u32)(*s++ - '0');
	return v;
}

static int have_disk_count;

static void parse_cmdline(const char *s)
{
	while (*s) {
		while (*s == ' ')
			s++;
		if (starts_with(s, "emuflock.disks=")) {
			expected = parse_u32(s + 15);
			have_disk_count = 1;
		} else if (starts_with(s, "emuflock.probe_timeout=")) {
			probe_timeout_s = parse_u32(s + 23);
		} else if (starts_with(s, "emuflock.hold=1")) {
			hold = 1;
		} else if (starts_with(s, "emuflock.answer=1")) {
			answer = 1;
		}
		while (*s && *s != ' ')
			s++;
	}
}

/* ---- memory: rings and buffers come from a bump allocator above the image ---- */

extern char _end[];
static u32 heap, heap_end;

static u32 alloc(u32 size, u32 align)
{
	u32 p = (heap + align - 1) & ~(align - 1);
	size = (size + 3) & ~3u;
	if (p + size > heap_end || p + size < p)
		fail("out-of-memory", done);
	heap = p + size;
	for (u32 i = 0; i < size; i += 4)
		wr32(p + i, 0);
	return p;
}

/* ---- PCI configuration space (mechanism #1, ports 0xcf8/0xcfc) ---- */

static u32 cfg_addr(u32 bdf, u32 off) { return 0x80000000u | bdf << 8 | (off & 0xfc); }
static u32 cfg_read32(u32 bdf, u32 off) { outl(0xcf8, cfg_addr(bdf, off)); return inl(0xcfc); }
static u16 cfg_read16(u32 bdf, u32 off) { outl(0xcf8, cfg_addr(bdf, off)); return inw(0xcfc + (off & 2)); }
static u8 cfg_read8(u32 bdf, u32 off) { outl(0xcf8, cfg_addr(bdf, off)); return inb(0xcfc + (off & 3)); }
static void cfg_write32(u32 bdf, u32 off, u32 v) { outl(0xcf8, cfg_addr(bdf, off)); outl(0xcfc, v); }
static void cfg_write16(u32 bdf, u32 off, u16 v) { outl(0xcf8, cfg_addr(bdf, off)); outw(0xcfc + (off & 2), v); }
static void cfg_write8(u32 bdf, u32 off, u8 v) { outl(0xcf8, cfg_addr(bdf, off)); outb(0xcfc + (off & 3), v); }

#define PCI_COMMAND 0x04
#define PCI_CMD_MEMORY 0x02
#define PCI_CMD_MASTER 0x04
#define PCI_CAP_MSIX 0x11
#define PCI_CAP_VENDOR 0x09

/* The 32-bit memory space handed out to BARs and bridge windows, set in probe_main. */
static u32 mmio_next, mmio_end;

static u32 mmio_alloc(u32 size, u32 align)
{
	u32 p = (mmio_next + align - 1) & ~(align - 1);
	if (p < mmio_next || p + size > mmio_end || p + size < p)
		fail("pci-memory-exhausted", done);
	mmio_next = p + size;
	return p;
}

/*
 * Sizes and places each memory BAR (naturally aligned); a 64-bit BAR takes two slots and
 * gets an address below 4 GiB. I/O BARs stay unassigned: modern virtio has none.
 * Returns the BAR addresses by index (0: unassigned).
 */
static void assign_bars(u32 bdf, u32 bars[6])
{
	cfg_write16(bdf, PCI_COMMAND, 0); /* no decoding while sizing */
	for (int i = 0; i < 6; i++) {
		u32 off = 0x10 + 4 * (u32)i, orig = cfg_read32(bdf, off);
		bars[i] = 0;
		cfg_write32(bdf, off, 0xffffffff);
		u32 mask = cfg_read32(bdf, off);
		if (mask == 0 || (orig & 1)) {
			cfg_write32(bdf, off, 0);
			continue;
		}
		int is64 = ((orig >> 1) & 3) == 2;
		u32 size = ~(mask & ~0xfu) + 1;
		bars[i] = mmio_alloc(size, size);
		cfg_write32(bdf, off, bars[i]);
		if (is64) {
			cfg_write32(bdf, off + 4, 0);
			i++;
			bars[i] = 0;
		}
	}
}

/* ---- virtio over PCI, modern (1.0) interface ---- */

struct disk {
	u32 bdf, bars[6];                /* where the walk found it, its BAR addresses */
	u32 common, notify, notify_mult; /* common config, notify region and its multiplier */
	u32 desc, avail, used;           /* queue 0's ring, where the read goes */
	u32 req;                         /* header (16 bytes), then data (512), then status */
	u16 notify_off;
};

/* Common configuration registers (virtio 1.0, 4.1.4.3). */
#define CC_DFSELECT 0x00
#define CC_DF 0x04
#define CC_GFSELECT 0x08
#define CC_GF 0x0c
#define CC_MSIX_CONFIG 0x10
#define CC_NUM_QUEUES 0x12
#define CC_STATUS 0x14
#define CC_Q_SELECT 0x16
#define CC_Q_SIZE 0x18
#define CC_Q_MSIX 0x1a
#define CC_Q_ENABLE 0x1c
#define CC_Q_NOFF 0x1e
#define CC_Q_DESC 0x20
#define CC_Q_AVAIL 0x28
#define CC_Q_USED 0x30

#define S_ACKNOWLEDGE 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8

#define VIRTIO_BLK_F_MQ 12       /* in feature word 0 */
#define VIRTIO_F_VERSION_1 0     /* bit 32: word 1, bit 0 */
#define NO_VECTOR 0xffff

static struct disk *disks;
static u32 max_disks;
static u32 vectors; /* MSI-X vectors given out so far, over all disks */

/*
 * One MSI message per vector, all different: the vector number cycles through 0x20-0xff and
 * the destination APIC ID goes up every 224 vectors. Nothing is delivered (interrupts stay
 * off), but each vector holds its own message, as under Linux, so QEMU routes each on its own.
 */
static void msix_program(u32 table, u32 entries)
{
	for (u32 i = 0; i < entries; i++, vectors++) {
		u32 e = table + 16 * i;
		wr32(e + 0, 0xfee00000u | (vectors / 224 % 256) << 12);
		wr32(e + 4, 0);
		wr32(e + 8, 0x20 + vectors % 224);
		wr32(e + 12, 0); /* unmasked, as after Linux's request_irq */
	}
}

/* Drives one disk from reset to DRIVER_OK; its bridges' windows are open by now. */
static void setup_disk(struct disk *d)
{
	u32 bdf = d->bdf, *bars = d->bars, common = 0, notify = 0, mult = 0, table = 0;

	cfg_write16(bdf, PCI_COMMAND, PCI_CMD_MEMORY | PCI_CMD_MASTER);

	/*
	 * One walk of the capability list: the MSI-X capability, and the vendor capabilities
	 * saying where (BAR, offset) the virtio structures are. Each capability's first dword
	 * holds its id, next pointer and, for virtio, its type; every configuration access is
	 * a VM exit, so it is read once.
	 */
	u8 msix = 0;
	u16 ctrl = 0;
	for (u32 cap = cfg_read8(bdf, 0x34), n = 0; cap && n < 48; n++) {
		u32 head = cfg_read32(bdf, cap), type = head >> 24;
		if ((head & 0xff) == PCI_CAP_MSIX) {
			msix = (u8)cap;
			ctrl = (u16)(head >> 16);
		} else if ((head & 0xff) == PCI_CAP_VENDOR && (type == 1 || type == 2)) {
			u32 bar = cfg_read32(bdf, cap + 4) & 0xff;
			u32 at = bar < 6 ? bars[bar] + cfg_read32(bdf, cap + 8) : 0;
			if (type == 1)
				common = at;
			if (type == 2) {
				notify = at;
				mult = cfg_read32(bdf, cap + 16);
			}
		}
		cap = (head >> 8) & 0xfc;
	}
	if (!common || !notify || !msix)
		fail("virtio-pci-capabilities", done);

	/* MSI-X on, function masked while the table is written (as Linux's msix_capability_init). */
	u32 entries = (ctrl & 0x7ff) + 1, tbl = cfg_read32(bdf, msix + 4);
	table = bars[tbl & 7] + (tbl & ~7u);
	cfg_write16(bdf, msix + 2, ctrl | 0x8000 | 0x4000);

	d->common = common;
	d->notify = notify;
	d->notify_mult = mult;

	/* Reset, then ACKNOWLEDGE and DRIVER (virtio 1.0, 3.1.1). */
	wr8(common + CC_STATUS, 0);
	while (rd8(common + CC_STATUS) != 0)
		check_deadline();
	wr8(common + CC_STATUS, S_ACKNOWLEDGE);
	wr8(common + CC_STATUS, S_ACKNOWLEDGE | S_DRIVER);

	/* Features: VERSION_1 (required of a modern device) and MQ, so that every queue is ours. */
	wr32(common + CC_DFSELECT, 1);
	if (!(rd32(common + CC_DF) & (1u << VIRTIO_F_VERSION_1)))
		fail("virtio-no-version-1", done);
	wr32(common + CC_DFSELECT, 0);
	u32 offered = rd32(common + CC_DF);
	wr32(common + CC_GFSELECT, 0);
	wr32(common + CC_GF, offered & (1u << VIRTIO_BLK_F_MQ));
	wr32(common + CC_GFSELECT, 1);
	wr32(common + CC_GF, 1u << VIRTIO_F_VERSION_1);
	wr8(common + CC_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
	if (!(rd8(common + CC_STATUS) & S_FEATURES_OK))
		fail("virtio-features-refused", done);

	/* Vector 0 for configuration changes, vector 1 + q for queue q: vp_find_vqs_msix. */
	u32 queues = rd16(common + CC_NUM_QUEUES);
	if (queues == 0 || queues + 1 > entries)
		fail("msix-too-few-vectors", done);
	msix_program(table, queues + 1);
	cfg_write16(bdf, msix + 2, (ctrl | 0x8000) & ~0x4000);
	wr16(common + CC_MSIX_CONFIG, 0);
	if (rd16(common + CC_MSIX_CONFIG) != 0)
		fail("msix-config-vector", done);

	for (u32 q = 0; q < queues; q++) {
		wr16(common + CC_Q_SELECT, (u16)q);
		u16 max = rd16(common + CC_Q_SIZE);
		if (max < QUEUE_SIZE)
			fail("virtqueue-too-small", done);
		/* One 256-byte block per queue: descriptors at 0, available ring at 64, used at 128. */
		u32 ring = alloc(256, 256);
		wr16(common + CC_Q_SIZE, QUEUE_SIZE);
		wr16(common + CC_Q_MSIX, (u16)(q + 1));
		if (rd16(common + CC_Q_MSIX) == NO_VECTOR)
			fail("msix-queue-vector", done);
		wr32(common + CC_Q_DESC, ring);
		wr32(common + CC_Q_DESC + 4, 0);
		wr32(common + CC_Q_AVAIL, ring + 64);
		wr32(common + CC_Q_AVAIL + 4, 0);
		wr32(common + CC_Q_USED, ring + 128);
		wr32(common + CC_Q_USED + 4, 0);
		wr16(common + CC_Q_ENABLE, 1);
		if (q == 0) {
			d->desc = ring;
			d->avail = ring + 64;
			d->used = ring + 128;
			d->notify_off = rd16(common + CC_Q_NOFF);
		}
	}
	wr8(common + CC_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
}

/* Read sector 0: header, data and status descriptors chained on queue 0, then a notify. */
static void submit_read(struct disk *d)
{
	d->req = alloc(16 + 512 + 1, 16);
	wr32(d->req + 0, 0); /* VIRTIO_BLK_T_IN */
	wr32(d->req + 4, 0);
	wr32(d->req + 8, 0); /* sector 0 */
	wr32(d->req + 12, 0);
	wr8(d->req + 528, 0xff); /* the device writes 0 (OK) here */
	const u32 addr[3] = {d->req, d->req + 16, d->req + 528}, len[3] = {16, 512, 1};
	const u16 flags[3] = {1, 1 | 2, 2}; /* NEXT; NEXT | WRITE; WRITE */
	for (u32 i = 0; i < 3; i++) {
		u32 e = d->desc + 16 * i;
		wr32(e + 0, addr[i]);
		wr32(e + 4, 0);
		wr32(e + 8, len[i]);
		wr16(e + 12, flags[i]);
		wr16(e + 14, (u16)(i + 1));
	}
	wr16(d->avail + 4, 0); /* ring[0] = descriptor 0 */
	barrier();
	wr16(d->avail + 2, 1); /* idx */
	barrier();
	wr16(d->notify + d->notify_off * d->notify_mult, 0);
}

/* ---- bus walk: bridges numbered depth-first, each with one memory window ---- */

static u32 next_bus = 1;

static void scan_bus(u32 bus)
{
	/*
	 * Clear the bus numbers of this bus's bridges first: whatever the firmware left there
	 * must not claim the numbers given out below (QEMU routes a configuration cycle to the
	 * first bridge whose range holds its bus).
	 */
	for (u32 dev = 0; dev < 32; dev++) {
		u32 bdf = bus << 8 | dev << 3;
		if (cfg_read16(bdf, 0) != 0xffff && (cfg_read8(bdf, 0x0e) & 0x7f) == 1)
			cfg_write32(bdf, 0x18, 0);
	}
	for (u32 dev = 0; dev < 32; dev++) {
		u32 functions = 1;
		for (u32 fn = 0; fn < functions; fn++) {
			u32 bdf = bus << 8 | dev << 3 | fn;
			u32 id = cfg_read32(bdf, 0);
			if ((id & 0xffff) == 0xffff)
				continue;
			u8 header = cfg_read8(bdf, 0x0e);
			if (fn == 0 && (header & 0x80))
				functions = 8;
			if ((header & 0x7f) == 1) {
				/* PCI-to-PCI bridge: number it, walk behind it, then close its ranges. */
				u32 secondary = next_bus++;
				if (secondary > 255)
					fail("pci-bus-numbers-exhausted", done);
				cfg_write16(bdf, PCI_COMMAND, 0);
				cfg_write32(bdf, 0x18, bus | secondary << 8 | 0xffu << 16);
				mmio_alloc(0, 1 << 20); /* windows have 1 MiB granularity */
				u32 base = mmio_next;
				scan_bus(secondary);
				cfg_write8(bdf, 0x1a, (u8)(next_bus - 1));
				mmio_alloc(0, 1 << 20);
				if (mmio_next > base)
					cfg_write32(bdf, 0x20, (base >> 16) | ((mmio_next - 1) & 0xfff00000));
				else
					cfg_write32(bdf, 0x20, 0x0000fff0); /* base above limit: closed */
				cfg_write32(bdf, 0x24, 0x0000fff0); /* no prefetchable window */
				cfg_write32(bdf, 0x28, 0);
				cfg_write32(bdf, 0x2c, 0);
				cfg_write16(bdf, 0x1c, 0x00f0); /* no I/O window */
				cfg_write32(bdf, 0x30, 0);
				cfg_write16(bdf, PCI_COMMAND, PCI_CMD_MEMORY | PCI_CMD_MASTER);
			} else if ((id & 0xffff) == 0x1af4 && ((id >> 16) == 0x1042 || (id >> 16) == 0x1001)) {
				/* virtio-blk (modern, or transitional used the modern way): placed now,
				 * driven once every bridge window is open. */
				if (found == max_disks)
					fail("too-many-disks", 0);
				disks[found].bdf = bdf;
				assign_bars(bdf, disks[found++].bars);
			} else if ((id & 0xffff) == 0x1af4 && ((id >> 16) == 0x1041 || (id >> 16) == 0x1000)) {
				/* virtio-net (modern or transitional): the ready marker says how many. */
				nics++;
			}
		}
	}
}

void probe_main(struct multiboot_info *mbi)
{
	serial_init();
	/* Read the command line before the heap, which starts right after the image, covers it. */
	if (mbi->flags & 4)
		parse_cmdline((const char *)mbi->cmdline);
	u32 ram_end = (mbi->flags & 1) ? 0x100000 + mbi->mem_upper * 1024 : 0x100000 + (64u << 20);
	tsc_start = rdtsc();
	calibrate_tsc();

	puts("EMUFLOCK init uptime=");
	put_uptime();
	puts("\n");
	deadline = rdtsc() + (u64)probe_timeout_s * tsc_khz * 1000;
	if (!have_disk_count)
		fail("no-disk-count-on-kernel-command-line", 0);

	heap = ((u32)_end + 0xfffff) & ~0xfffffu;
	heap_end = ram_end;
	/* Room for every disk the machine can hold (x86_64.ts: 255 bridges x 32 slots). */
	max_disks = 255 * 32;
	disks = (struct disk *)alloc(max_disks * sizeof(struct disk), 16);

	/*
	 * BARs go in the PCI hole between low RAM and the IOAPIC at 0xfec00000, from 3 GiB up
	 * (or above low RAM, 256 MiB aligned, when it reaches past 3 GiB).
	 */
	mmio_next = ram_end > 0xc0000000u ? (ram_end + 0x0fffffff) & 0xf0000000u : 0xc0000000u;
	mmio_end = 0xfec00000u;
	scan_bus(0);

	/* PCI devices are all there at reset (no hot-plug here): nothing more will turn up. */
	if (found < expected)
		fail("disks-missing", found);
	for (u32 i = 0; i < found; i++) {
		setup_disk(&disks[i]);
		submit_read(&disks[i]);
	}

	/* Poll every used ring until each read is back, or the probe timeout passes. */
	for (u32 i = 0; i < found; i++) {
		struct disk *d = &disks[i];
		while (rd16(d->used + 2) == 0) {
			check_deadline();
			__asm__ volatile("pause");
		}
		barrier();
		if (rd8(d->req + 528) != 0)
			fail("io-error", done);
		done++;
	}

	puts("EMUFLOCK ready disks=");
	putu(done);
	puts(" vectors=");
	putu(vectors);
	puts(" nics=");
	putu(nics);
	puts(" uptime=");
	put_uptime();
	puts("\n");
	if (hold) {
		while (!(inb(COM1 + 5) & 0x40))
			;
		for (;;)
			__asm__ volatile("cli; hlt");
	}
	/* The harness's answer: a byte in the receive buffer (line status: data ready). */
	if (answer)
		for (u64 until = rdtsc() + (u64)tsc_khz * 10000; !(inb(COM1 + 5) & 0x01) && rdtsc() < until;)
			__asm__ volatile("pause");
	/*
	 * The device puts a completion in the used ring before it notifies: leaving at once can
	 * end QEMU before the last disk's notification (seen as 255 irqfd notifies of 256 in one
	 * trial of three). 20 ms lets it finish; the ready marker is already out, so only the
	 * shutdown phase pays for it.
	 */
	for (u64 until = rdtsc() + (u64)tsc_khz * 20; rdtsc() < until;)
		__asm__ volatile("pause");
	leave(EXIT_SUCCESS_CODE);
}
