package fixturelib;

/** In the same jar as Used, reachable only through a method nobody calls: must be dropped. */
public final class Unused {
}
