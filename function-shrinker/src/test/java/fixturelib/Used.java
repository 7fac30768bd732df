package fixturelib;

/** Reached from the fixture handler: must survive shrinking. */
public final class Used {

    public String greeting() {
        return "kept";
    }

    /** Never called: R8 drops the member, not the class. */
    public Unused unusedPath() {
        return new Unused();
    }
}
