import { describe, expect, it } from 'vitest';
import { MAX_SENTENCE, extractFacts, mayStateFact, type FactRole, type FactStatement } from './extract.js';

type Expected = Partial<FactStatement> & Pick<FactStatement, 'holder' | 'attribute' | 'value'>;

/** The one fact `sentence` states, checked field by field (update, retracts and cue default to false). */
function expectFact(sentence: string, want: Expected, role: FactRole = 'user'): void {
  const facts = extractFacts(sentence, role);
  expect(facts, sentence).toHaveLength(1);
  const { valueKind: _kind, ...got } = facts[0];
  expect(got, sentence).toEqual({ update: false, retracts: false, cue: false, label: got.label, ...want });
}

const none = (sentence: string, role: FactRole = 'user'): void => expect(extractFacts(sentence, role), sentence).toEqual([]);

describe('extractFacts: "my X is Y"', () => {
  it('reads the user\'s own facts with the words they used', () => {
    expectFact('My locker code is 5521.', { holder: 'user', attribute: 'locker code', label: 'my locker code', value: '5521' });
    expectFact("my badge number's 4471", { holder: 'user', attribute: 'badge number', label: 'my badge number', value: '4471' });
    expectFact('Our wifi password is "Amber Falcon".', { holder: 'user', attribute: 'wifi password', label: 'our wifi password', value: '"Amber Falcon"' });
    expectFact('My flight is on May 3.', { holder: 'user', attribute: 'flight', label: 'my flight', value: 'May 3' });
    expectFact('My email is sam.lee@acme.io.', { holder: 'user', attribute: 'email', value: 'sam.lee@acme.io' });
    expectFact('My favorite color is blue.', { holder: 'user', attribute: 'favorite color', value: 'blue' });
    expectFact('My diet is vegetarian.', { holder: 'user', attribute: 'diet', value: 'vegetarian' });
    expectFact("My dog's name is Rex.", { holder: 'user', attribute: 'dog name', label: "my dog's name", value: 'Rex' });
    expectFact('My desk is in room 212.', { holder: 'user', attribute: 'desk', value: 'room 212' });
    expectFact('My phone number is +1 555 0100.', { holder: 'user', attribute: 'phone number', value: '+1 555 0100' });
  });

  it('gives "my" to the writer and "your" to the one addressed', () => {
    expectFact('My locker code is 5521.', { holder: 'assistant', attribute: 'locker code', value: '5521' }, 'assistant');
    expectFact('Your locker code is 5521.', { holder: 'user', attribute: 'locker code', label: 'your locker code', value: '5521' }, 'assistant');
    expectFact('Your name is Max.', { holder: 'assistant', attribute: 'name', value: 'Max' }, 'user');
    expectFact('Your name is Max.', { holder: 'assistant', attribute: 'name', value: 'Max' }, 'system');
    expectFact("The user's name is Sam.", { holder: 'user', attribute: 'name', label: "The user's name", value: 'Sam' }, 'system');
  });

  it('cuts the value where the sentence goes on', () => {
    expectFact("My flight is on May 3, so I'll be out.", { holder: 'user', attribute: 'flight', value: 'May 3' });
    expectFact('My visa renewal is due on March 9, 2027.', { holder: 'user', attribute: 'visa renewal', value: 'March 9, 2027' });
    expectFact('My locker code is 5521 (the old one stopped working).', { holder: 'user', attribute: 'locker code', value: '5521' });
  });
});

describe('extractFacts: key-value lines', () => {
  it('reads "X: Y", "- X: Y" and "X - Y" as the writer\'s', () => {
    expectFact('Locker code: 5521', { holder: 'user', attribute: 'locker code', label: 'Locker code', value: '5521' });
    expectFact('- Flight number: QK-127', { holder: 'user', attribute: 'flight number', label: 'Flight number', value: 'QK-127' });
    expectFact('Dentist appointment - May 3', { holder: 'user', attribute: 'dentist appointment', value: 'May 3' });
    expectFact('* **Wi-Fi password:** "Amber Falcon"', { holder: 'user', attribute: 'wifi password', value: '"Amber Falcon"' });
    expectFact('2. Parking spot = 212', { holder: 'user', attribute: 'parking spot', value: '212' });
    expectFact('Locker code: 5521', { holder: 'assistant', attribute: 'locker code', value: '5521' }, 'assistant');
    expectFact('Diet: vegan', { holder: 'user', attribute: 'diet', value: 'vegan' });
  });

  it('reads a possessive key as that holder\'s', () => {
    expectFact("Priya Raman's badge number: 4471", { holder: 'Priya Raman', attribute: 'badge number', label: "Priya Raman's badge number", value: '4471' });
    expectFact('My locker code: 5521', { holder: 'user', attribute: 'locker code', value: '5521' });
  });

  it('does not read a speaker, a status or a sentence with a colon as a fact', () => {
    none('Kenji Sato: sounds good to me');
    none('Status: in progress');
    none('Here is the plan: we ship after the review');
  });
});

describe('extractFacts: first-person phrasings', () => {
  it('reads where the user lives', () => {
    expectFact('I moved to Lisbon.', { holder: 'user', attribute: 'city', label: 'home city', value: 'Lisbon', update: true });
    expectFact('I live in Porto now.', { holder: 'user', attribute: 'city', value: 'Porto', update: true });
    expectFact('I live in Porto.', { holder: 'user', attribute: 'city', value: 'Porto' });
    expectFact("I'm based in New York.", { holder: 'user', attribute: 'city', value: 'New York' });
    expectFact("I've just relocated to Berlin.", { holder: 'user', attribute: 'city', value: 'Berlin', update: true });
  });

  it('reads the user\'s name', () => {
    expectFact('Call me Sam.', { holder: 'user', attribute: 'name', value: 'Sam' });
    expectFact('My name is Sam', { holder: 'user', attribute: 'name', label: 'my name', value: 'Sam' });
    expectFact("My name's Sam Lee.", { holder: 'user', attribute: 'name', value: 'Sam Lee' });
    expectFact("I'm called Sam", { holder: 'user', attribute: 'name', value: 'Sam' });
    expectFact('I go by Sam.', { holder: 'user', attribute: 'name', value: 'Sam' });
    expectFact("Hi, I'm Sam.", { holder: 'user', attribute: 'name', value: 'Sam' });
  });

  it('reads work, allergies, diet, age, birthday and pets', () => {
    expectFact('I work at Acme', { holder: 'user', attribute: 'employer', value: 'Acme' });
    expectFact('I work for Acme Corp.', { holder: 'user', attribute: 'employer', value: 'Acme Corp' });
    expectFact('I work as a nurse', { holder: 'user', attribute: 'job', value: 'nurse' });
    expectFact("I'm allergic to peanuts", { holder: 'user', attribute: 'allergy', value: 'peanuts' });
    expectFact('I am allergic to peanuts and shellfish.', { holder: 'user', attribute: 'allergy', value: 'peanuts and shellfish' });
    expectFact('I have a peanut allergy.', { holder: 'user', attribute: 'allergy', value: 'peanut' });
    expectFact("I'm vegetarian.", { holder: 'user', attribute: 'diet', value: 'vegetarian' });
    expectFact("I'm 34 years old.", { holder: 'user', attribute: 'age', value: '34' });
    expectFact('I was born on May 3.', { holder: 'user', attribute: 'birthday', value: 'May 3' });
    expectFact('I was born in Lagos.', { holder: 'user', attribute: 'birthplace', value: 'Lagos' });
    expectFact('I have a dog named Rex', { holder: 'user', attribute: 'dog name', label: "dog's name", value: 'Rex' });
    expectFact('I have a cat called Miso.', { holder: 'user', attribute: 'cat name', value: 'Miso' });
  });

  it('needs a name where a name is meant', () => {
    none('Call me later.');
    none('I live in a flat.');
    none('I work at home.');
  });
});

describe('extractFacts: cues and decisions', () => {
  it('marks the writer\'s request to keep a fact', () => {
    expectFact('Remember that my flight is on May 3.', { holder: 'user', attribute: 'flight', value: 'May 3', cue: true });
    expectFact('For the record, my parking spot is 212.', { holder: 'user', attribute: 'parking spot', value: '212', cue: true });
    expectFact('Please note: my desk extension is 5120.', { holder: 'user', attribute: 'desk extension', value: '5120', cue: true });
    expectFact("Don't forget that my locker code is 5521.", { holder: 'user', attribute: 'locker code', value: '5521', cue: true });
    expectFact('Note that I live in Porto.', { holder: 'user', attribute: 'city', value: 'Porto', cue: true });
    expectFact('Can you remember that my locker code is 5521?', { holder: 'user', attribute: 'locker code', value: '5521', cue: true });
    expectFact('By the way, my locker code is 5521.', { holder: 'user', attribute: 'locker code', value: '5521' });
  });

  it('reads what we decided as the user\'s', () => {
    expectFact('We decided the project codename is "Quiet Harbor".', { holder: 'user', attribute: 'project codename', value: '"Quiet Harbor"' });
    expectFact('We agreed to ship on June 4.', { holder: 'user', attribute: 'ship date', value: 'June 4' });
    expectFact('We agreed that the launch is on June 4.', { holder: 'user', attribute: 'launch', value: 'June 4' });
    expectFact('We settled on "Paper Comet" as the codename.', { holder: 'user', attribute: 'codename', value: '"Paper Comet"' });
  });
});

describe('extractFacts: updates and retractions', () => {
  it('marks restatements', () => {
    expectFact('Update: my locker code is now 7731.', { holder: 'user', attribute: 'locker code', value: '7731', update: true });
    expectFact('Actually, my parking spot is 318.', { holder: 'user', attribute: 'parking spot', value: '318', update: true });
    expectFact('My desk extension changed to 5120.', { holder: 'user', attribute: 'desk extension', value: '5120', update: true });
    expectFact('My desk extension has switched to 5120.', { holder: 'user', attribute: 'desk extension', value: '5120', update: true });
    expectFact('My new locker code is 7731.', { holder: 'user', attribute: 'locker code', label: 'my new locker code', value: '7731', update: true });
    expectFact('Correction — the codename is "Paper Comet"', { holder: 'user', attribute: 'codename', value: '"Paper Comet"', update: true });
    expectFact('No, my locker code is 7731.', { holder: 'user', attribute: 'locker code', value: '7731', update: true });
    expectFact('Update: Remember that my locker code is 7731.', { holder: 'user', attribute: 'locker code', value: '7731', update: true, cue: true });
    expectFact('My locker code is 7731 now.', { holder: 'user', attribute: 'locker code', value: '7731', update: true });
  });

  it('reads "X, not Y" as a correction to X', () => {
    expectFact('My locker code is 7731, not 5521.', { holder: 'user', attribute: 'locker code', value: '7731', update: true });
    expectFact("Priya Raman's badge number is 4490, not 4471.", { holder: 'Priya Raman', attribute: 'badge number', value: '4490', update: true }, 'user');
  });

  it('reads the writer correcting themselves as an update', () => {
    expectFact('My mistake, my locker code is 7731.', { holder: 'user', attribute: 'locker code', value: '7731', update: true });
    expectFact('I misspoke: my locker code is 7731.', { holder: 'user', attribute: 'locker code', value: '7731', update: true });
    expectFact('I meant to say, my locker code is 7731.', { holder: 'user', attribute: 'locker code', value: '7731', update: true });
    expectFact('Let me correct that: my locker code is 7731.', { holder: 'user', attribute: 'locker code', value: '7731', update: true });
    none('The 4417 was my mistake.');
  });

  it('takes a framing word only as a whole word', () => {
    expectFact("my badge number's 4471", { holder: 'user', attribute: 'badge number', value: '4471' });
    expectFact('Editor: vim', { holder: 'user', attribute: 'editor', value: 'vim' });
    expectFact('Updated locker code: 7731', { holder: 'user', attribute: 'locker code', value: '7731', update: true });
    expectFact("Noah's locker code is 5521.", { holder: 'Noah', attribute: 'locker code', value: '5521' });
  });

  it('marks retractions with what is no longer true', () => {
    expectFact('I no longer live in Porto.', { holder: 'user', attribute: 'city', value: 'Porto', update: true, retracts: true });
    expectFact("I don't live in Porto anymore.", { holder: 'user', attribute: 'city', value: 'Porto', update: true, retracts: true });
    expectFact('I no longer work at Acme.', { holder: 'user', attribute: 'employer', value: 'Acme', update: true, retracts: true });
    expectFact("I'm not allergic to peanuts anymore.", { holder: 'user', attribute: 'allergy', value: 'peanuts', update: true, retracts: true });
    expectFact('My locker code is no longer 5521.', { holder: 'user', attribute: 'locker code', value: '5521', update: true, retracts: true });
    expectFact('I no longer have a dog.', { holder: 'user', attribute: 'dog name', value: '', update: true, retracts: true });
  });

  it('states nothing in a plain negation', () => {
    none('My locker code is not 5521.');
    none("I don't live in Porto.");
    none("I'm not allergic to peanuts.");
  });
});

describe('extractFacts: other people', () => {
  it('gives a named person\'s facts to that person, as written', () => {
    expectFact("Priya Raman's badge number is 4471.", { holder: 'Priya Raman', attribute: 'badge number', label: "Priya Raman's badge number", value: '4471' });
    expectFact("Tomas Berg's birthday is on March 9.", { holder: 'Tomas Berg', attribute: 'birthday', value: 'March 9' });
    expectFact("Tomas's flight number is QK-127", { holder: 'Tomas', attribute: 'flight number', value: 'QK-127' });
    expectFact("James' locker code is 5521.", { holder: 'James', attribute: 'locker code', value: '5521' });
    expectFact("Dr. Okafor's extension is 4410.", { holder: 'Dr. Okafor', attribute: 'extension', value: '4410' });
    expectFact("Priya Raman's badge number is 4471.", { holder: 'Priya Raman', attribute: 'badge number', value: '4471' }, 'assistant');
  });

  it('reads two statements in one sentence, "her" taking the person just named', () => {
    const facts = extractFacts("Priya Raman's badge number is 4471 and her desk extension is 5120.", 'user');
    expect(facts.map((f) => [f.holder, f.attribute, f.value])).toEqual([
      ['Priya Raman', 'badge number', '4471'],
      ['Priya Raman', 'desk extension', '5120'],
    ]);
    expect(extractFacts('My name is Sam and I live in Porto.', 'user').map((f) => [f.attribute, f.value])).toEqual([
      ['name', 'Sam'],
      ['city', 'Porto'],
    ]);
    none('Her badge number is 4471.');
  });
});

describe('extractFacts: what is not a fact', () => {
  it('skips questions', () => {
    none('what is my locker code?');
    none('is my flight on May 3?');
    none('Is my flight on May 3');
    none("What's Priya Raman's badge number");
    none('Do you remember my locker code?');
  });

  it('skips typos, hypotheticals, guesses and hearsay', () => {
    none("Someone wrote 4417 for Priya Raman's badge number, but that was a typo.");
    none('If my code were 1234 I would be happy.');
    none('Maybe my locker code is 5521.');
    none('I think my locker code is 5521.');
    none("Let's say my locker code is 1234.");
    none('Priya said her badge number is 4471.');
  });

  it('skips first-person small talk', () => {
    for (const s of ["I'm tired today.", 'I think the demo went well.', 'My coffee is cold.', 'I was so busy this week.', 'My day is going fine.', 'My team is great.', 'I love this!', "My train is 10 minutes late.", 'My code is 3 lines long.']) none(s);
  });

  it('skips opinions, answers and computed results', () => {
    for (const s of ['My answer is 42.', 'My bet is 50/50.', 'My top 3 priorities are testing, docs and CI.', 'My 2 cents: ship it.', 'I have 3 meetings tomorrow.', "I'm 5 minutes away."]) none(s);
    for (const s of ['Your total is $42.', 'Memory: 4 GB', 'Cost: $5', 'Tip: use 4 spaces', 'Step 1: install the package', 'Note: this takes 5 minutes'])
      none(s, 'assistant');
    expectFact('Memory: 4 GB', { holder: 'user', attribute: 'memory', value: '4 GB' }, 'user');
  });

  it('skips the eval\'s ordinary sentences', () => {
    for (const s of [
      "Marcus Webb's team is at 12 open bugs this week.",
      "Ana Lima's train was 40 minutes late again.",
      'Ticket AB-123 is still assigned to Chen Wei.',
      'Jonas Keller said the deploy took 45 minutes.',
      // an absence on a date is an event, not a durable attribute of Sofia Marin's
      'Remember that Sofia Marin is out on May 3.',
      'Kenji Sato mentioned 4471 while talking about the badge number forms.',
      'Please note the retro moved to room 42, Kenji Sato says.',
      'The badge reader on floor 7 rejected Ana Lima again.',
      'Your test handles the 42 pending jobs.',
      'The build validates quoted strings like "alpha-7".',
    ])
      none(s);
  });
});

describe('extractFacts: more phrasings', () => {
  it('reads an attribute with no determiner, or with its holder after it', () => {
    expectFact('Locker code is 5521.', { holder: 'user', attribute: 'locker code', label: 'Locker code', value: '5521' });
    expectFact('The code for my locker is 5521.', { holder: 'user', attribute: 'locker code', label: 'code for my locker', value: '5521' });
    expectFact("My locker's code is 5521", { holder: 'user', attribute: 'locker code', value: '5521' });
    expectFact('The badge number for Priya Raman is 4471', { holder: 'Priya Raman', attribute: 'badge number', value: '4471' });
    expectFact('The parking spot for me is 212', { holder: 'user', attribute: 'parking spot', value: '212' });
    none('Kenji Sato is 34');
    none('Room 42 is booked');
    none('Priya told me my locker code is 5521');
  });

  it('reads more first-person phrasings', () => {
    expectFact("I'm a software engineer.", { holder: 'user', attribute: 'job', value: 'software engineer' });
    expectFact("I'm from Lisbon.", { holder: 'user', attribute: 'hometown', value: 'Lisbon' });
    expectFact("My wife's name is Ana", { holder: 'user', attribute: 'wife name', value: 'Ana' });
    expectFact('My hobby is climbing.', { holder: 'user', attribute: 'hobby', value: 'climbing' });
    none("I'm a bit tired.");
  });

  it('reads more dates', () => {
    expectFact('My birthday is on the 9th of March', { holder: 'user', attribute: 'birthday', value: 'the 9th of March' });
    expectFact('My appointment is at 3pm on Friday', { holder: 'user', attribute: 'appointment', value: '3pm on Friday' });
    expectFact('My dentist appointment is May 3 at 10:30.', { holder: 'user', attribute: 'dentist appointment', value: 'May 3 at 10:30' });
  });

  it('reads more restatements', () => {
    expectFact('My locker code has been changed to 7731', { holder: 'user', attribute: 'locker code', value: '7731', update: true });
    expectFact('My locker code is now 7731 instead of 5521', { holder: 'user', attribute: 'locker code', value: '7731', update: true });
    expectFact('My locker code changed from 5521 to 7731', { holder: 'user', attribute: 'locker code', value: '7731', update: true });
    expectFact('Please update my locker code to 7731.', { holder: 'user', attribute: 'locker code', value: '7731', update: true });
    expectFact('Now my locker code is 7731', { holder: 'user', attribute: 'locker code', value: '7731', update: true });
  });

  it('reads a statement after a heading or an acknowledgement', () => {
    expectFact('Heads up: my flight moved to May 5.', { holder: 'user', attribute: 'flight', value: 'May 5', update: true, cue: true });
    expectFact('One more thing: my locker code is 5521', { holder: 'user', attribute: 'locker code', value: '5521' });
    expectFact('Got it — your locker code is 5521.', { holder: 'user', attribute: 'locker code', value: '5521' }, 'assistant');
    expectFact("Okay, I'll remember that your locker code is 5521.", { holder: 'user', attribute: 'locker code', value: '5521' }, 'assistant');
    expectFact('Your locker code is 5521, as you told me.', { holder: 'user', attribute: 'locker code', value: '5521' }, 'assistant');
  });

  it('reads a restatement of what was said before, and a code with words after it', () => {
    expectFact('You mentioned your locker code is 5521.', { holder: 'user', attribute: 'locker code', value: '5521' }, 'assistant');
    expectFact('As I said, my locker code is 5521.', { holder: 'user', attribute: 'locker code', value: '5521' });
    expectFact('I told you my locker code is 5521', { holder: 'user', attribute: 'locker code', value: '5521' });
    expectFact('My flight number is QK-127 to Berlin', { holder: 'user', attribute: 'flight number', value: 'QK-127' });
    expectFact('Your employee ID — IF-100.', { holder: 'user', attribute: 'employee id', value: 'IF-100' }, 'assistant');
    none('My code is 3 lines long');
  });

  it('reads the eval\'s update and note phrasings', () => {
    expectFact('Note to self: my locker code is 5521.', { holder: 'user', attribute: 'locker code', value: '5521', cue: true });
    expectFact('New locker code: 7731', { holder: 'user', attribute: 'locker code', label: 'New locker code', value: '7731', update: true });
    expectFact('Heads up, my dentist appointment is now on September 9.', { holder: 'user', attribute: 'dentist appointment', value: 'September 9', update: true, cue: true });
    none('My desk is a mess after the move.');
    none('I keep forgetting my locker code.');
  });

  it('reads table rows, addresses, phone numbers, web addresses and handles', () => {
    expectFact('| Locker code | 5521 |', { holder: 'user', attribute: 'locker code', value: '5521' });
    none('| Attribute | Value |');
    none('|---|---|');
    expectFact('Our new office is at 12 Main Street', { holder: 'user', attribute: 'office', value: '12 Main Street', update: true });
    expectFact('My phone number is (555) 123-4567.', { holder: 'user', attribute: 'phone number', value: '(555) 123-4567' });
    expectFact('My website is https://sam.dev', { holder: 'user', attribute: 'website', value: 'https://sam.dev' });
    expectFact('My GitHub handle is @samlee', { holder: 'user', attribute: 'github handle', value: '@samlee' });
    expectFact('My locker code is 5521 (new).', { holder: 'user', attribute: 'locker code', value: '5521' });
    none('My flight is in 3 Days');
  });

  it('reads "for <name>, the X is Y", languages and cars', () => {
    expectFact('For Priya Raman, the badge number is 4471.', { holder: 'Priya Raman', attribute: 'badge number', value: '4471' });
    expectFact('As for Tomas, his flight number is QK-127.', { holder: 'Tomas', attribute: 'flight number', value: 'QK-127' });
    expectFact('I speak Portuguese and Spanish.', { holder: 'user', attribute: 'language', value: 'Portuguese and Spanish' });
    expectFact('I drive a Tesla Model 3.', { holder: 'user', attribute: 'car', value: 'Tesla Model 3' });
    none('I speak slowly.');
    none('For now, the plan is 3 weeks.');
  });

  it('reads more decisions', () => {
    expectFact('We\'re going with "Quiet Harbor" as the codename', { holder: 'user', attribute: 'codename', value: '"Quiet Harbor"' });
    expectFact('The team decided the codename is "Quiet Harbor"', { holder: 'user', attribute: 'codename', value: '"Quiet Harbor"' });
    expectFact('We agreed to meet on Friday', { holder: 'user', attribute: 'meet date', value: 'Friday' });
    expectFact('We agreed on June 4 for the launch', { holder: 'user', attribute: 'launch', value: 'June 4' });
  });

  it('reads no state of the moment, and no tool output as anyone\'s fact but a named person\'s', () => {
    for (const s of ['My phone is dying.', 'My email is down.', 'My name is on the list', 'My kids are 5 and 7.', 'My plan is to rest.', 'Everything is fine', 'It is 5521'])
      none(s);
    none('Status code: 200', 'tool');
    none('Version: 1.2.3', 'tool');
    expectFact("Priya Raman's badge number: 4471", { holder: 'Priya Raman', attribute: 'badge number', value: '4471' }, 'tool');
    for (const s of ['The answer is 42.', 'The result is 3.5 seconds.', 'Total: 42 items', 'The p95 latency is 120 ms.', 'Q3 revenue is 4.5 million', 'Step 2: run the tests'])
      none(s, 'assistant');
  });
});

describe('extractFacts on long text', () => {
  it('reads nothing from text past MAX_SENTENCE (a pasted paragraph), and a fact just under it', () => {
    const pad = ' '.repeat(MAX_SENTENCE - 'My locker code is 5521.'.length);
    expectFact(`${pad}My locker code is 5521.`, { holder: 'user', attribute: 'locker code', value: '5521' });
    none(` ${pad}My locker code is 5521.`);
  });
});

describe('mayStateFact', () => {
  it('rejects sentences with nothing a fact needs and keeps every cue', () => {
    expect(mayStateFact('The scheduler streams old spans before noon.')).toBe(false);
    expect(mayStateFact('Kenji forgets nested lists again.')).toBe(false);
    expect(mayStateFact('Imagine someone else doing this.')).toBe(false);
    for (const s of ['My name is Sam', 'Call me Sam', 'I live in Porto', 'we decided', 'our plan', 'your name', 'route 9', 'a: b', "Sam's", 'a "b"', 'x - y', 'A — B', 'it is mine'])
      expect(mayStateFact(s), s).toBe(true);
  });

  it('never rejects a sentence the extractor reads a fact from', () => {
    for (const s of ['I moved to Lisbon.', 'Call me Sam.', 'I work as a nurse', 'We agreed to ship on June 4.', 'Dentist appointment - May 3']) {
      expect(mayStateFact(s), s).toBe(true);
      expect(extractFacts(s, 'user'), s).toHaveLength(1);
    }
  });
});
