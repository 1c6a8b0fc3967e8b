/*
 * kvm-caps: prints what KVM_CHECK_EXTENSION answers on /dev/kvm for each capability number
 * given, e.g. `kvm-caps 25` (KVM_CAP_IRQ_ROUTING: the most GSI routes a VM may have).
 *
 *   kvm-caps [--device PATH] CAP...   ->   "api 12" then "cap CAP VALUE" per CAP, exit 0
 *
 * Exit 2: the device cannot be opened (stderr says why); 3: an ioctl failed; 64: bad usage.
 * Only libc headers: the two ioctl numbers are the generic _IO encoding of linux/kvm.h, the
 * same on x86_64 and s390x, so no kernel headers package is needed to build this.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define KVMIO 0xAE
#define KVM_GET_API_VERSION _IO(KVMIO, 0x00)
#define KVM_CHECK_EXTENSION _IO(KVMIO, 0x03)

int main(int argc, char **argv)
{
    const char *device = "/dev/kvm";
    int first = 1;

    if (argc > 2 && strcmp(argv[1], "--device") == 0) {
        device = argv[2];
        first = 3;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: kvm-caps [--device PATH] CAP...\n");
        return 64;
    }

    long caps[argc];
    for (int i = first; i < argc; i++) {
        char *end;
        errno = 0;
        caps[i] = strtol(argv[i], &end, 10);
        if (errno != 0 || *argv[i] == '\0' || *end != '\0' || caps[i] < 0 || caps[i] > 0x7fffffff) {
            fprintf(stderr, "not a capability number: %s\n", argv[i]);
            return 64;
        }
    }

    int fd = open(device, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "cannot open %s: %s\n", device, strerror(errno));
        return 2;
    }
    int api = ioctl(fd, KVM_GET_API_VERSION, 0);
    if (api < 0) {
        fprintf(stderr, "KVM_GET_API_VERSION on %s: %s\n", device, strerror(errno));
        return 3;
    }
    printf("api %d\n", api);

    for (int i = first; i < argc; i++) {
        int value = ioctl(fd, KVM_CHECK_EXTENSION, caps[i]);
        if (value < 0) {
            fprintf(stderr, "KVM_CHECK_EXTENSION(%ld) on %s: %s\n", caps[i], device, strerror(errno));
            return 3;
        }
        printf("cap %ld %d\n", caps[i], value);
    }
    close(fd);
    return 0;
}
