/* helper-asan-leak: built with AddressSanitizer; leaks one allocation, so
 * that LeakSanitizer runs at exit (it clones an untraced helper that
 * ptraces this process). */
#include <stdio.h>
#include <stdlib.h>

static void *volatile leaked;

int main(void)
{
	leaked = malloc(100);
	leaked = NULL;
	puts("leaked");
	return 0;
}
