package spacker.flink.nexmark;

/** A new person (workloads/src/nexmark/model.ts); a Flink POJO. Times are event-time ms after the run's start. */
public class Person {
    public long id;
    public String name;
    public String emailAddress;
    public String creditCard;
    public String city;
    public String state;
    public long dateTime;
    public String extra;

    public Person() {}
}
