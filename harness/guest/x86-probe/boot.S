/*
 * Multiboot (version 1) entry. The loader enters in 32-bit protected mode, flat segments,
 * paging and interrupts off, with EAX = 0x2BADB002 and EBX = the multiboot information.
 * We ask for the memory fields (flag bit 1); the command line comes with every QEMU load.
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000002

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.text
	.globl _start
_start:
	cli
	mov $stack_top, %esp
	/* Zero .bss ourselves rather than trust every loader to. */
	mov $__bss_start, %edi
	mov $__bss_end, %ecx
	sub %edi, %ecx
	xor %eax, %eax
	cld
	rep stosb
	push %ebx		/* probe_main(struct multiboot_info *) */
	call probe_main
halt:	hlt
	jmp halt

	.bss
	.align 16
	.space 16384
stack_top:

	.section .note.GNU-stack, "", @progbits
