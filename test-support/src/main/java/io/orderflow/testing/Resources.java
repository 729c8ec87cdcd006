package io.orderflow.testing;

/** What a test class's {@code @AfterAll} does with what its {@code @BeforeAll} started. */
public final class Resources {

    private Resources() {
    }

    /**
     * Closes each resource that was started (null ones were not), in order, all of them even when one fails; the
     * first failure is thrown with the later ones suppressed.
     */
    public static void closeAll(AutoCloseable... resources) throws Exception {
        Exception first = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
