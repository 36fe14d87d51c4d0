/**
 * More names known to hundreds of millions, beyond keep-list.ts's heads of state and historical
 * figures: living artists, athletes, writers and entrepreneurs from many countries, and fictional
 * characters and works people ask about. "May I ask whether Will Smith ever won an Oscar?" says
 * nothing about who asks. Kept whole or not at all (whole-names.ts).
 */
export const MORE_PUBLIC_FIGURES: readonly string[] = [
  // Film, music, television
  'Will Smith', 'Tom Hanks', 'Meryl Streep', 'Leonardo DiCaprio', 'Brad Pitt', 'Angelina Jolie', 'Denzel Washington',
  'Morgan Freeman', 'Scarlett Johansson', 'Tom Cruise', 'Keanu Reeves', 'Jackie Chan', 'Bruce Lee', 'Shah Rukh Khan',
  'Amitabh Bachchan', 'Priyanka Chopra', 'Aishwarya Rai', 'Salman Khan', 'Rihanna', 'Adele', 'Ed Sheeran', 'Drake',
  'Eminem', 'Lady Gaga', 'Ariana Grande', 'Justin Bieber', 'Billie Eilish', 'Bad Bunny', 'Shakira', 'BTS',
  'Bob Dylan', 'Bob Marley', 'David Bowie', 'Freddie Mercury', 'John Lennon', 'Paul McCartney', 'Frank Sinatra',
  'Whitney Houston', 'Dolly Parton', 'Kanye West', 'Jay-Z', 'Snoop Dogg', 'Steven Spielberg', 'Christopher Nolan',
  'Quentin Tarantino', 'Alfred Hitchcock', 'Charlie Chaplin', 'Marilyn Monroe', 'Audrey Hepburn', 'Walt Disney',
  'Hayao Miyazaki', 'David Attenborough', 'Kim Kardashian',
  // Sport
  'LeBron James', 'Kobe Bryant', 'Usain Bolt', 'Roger Federer', 'Rafael Nadal', 'Novak Djokovic', 'Tiger Woods',
  'Lewis Hamilton', 'Michael Schumacher', 'Diego Maradona', 'Pelé', 'Kylian Mbappé', 'Neymar', 'Zinedine Zidane',
  'David Beckham', 'Virat Kohli', 'Sachin Tendulkar', 'Simone Biles', 'Michael Phelps', 'Mo Salah', 'Erling Haaland',
  // Writers, thinkers, business, science
  'Yuval Noah Harari', 'J.K. Rowling', 'JK Rowling', 'Stephen King', 'George Orwell', 'Agatha Christie', 'Ernest Hemingway',
  'Gabriel García Márquez', 'Haruki Murakami', 'Toni Morrison', 'Maya Angelou', 'Franz Kafka', 'Friedrich Nietzsche',
  'Immanuel Kant', 'Simone de Beauvoir', 'Noam Chomsky', 'Carl Sagan', 'Richard Feynman', 'Sam Altman', 'Sundar Pichai',
  'Tim Cook', 'Satya Nadella', 'Jack Ma', 'Larry Page', 'Sergey Brin', 'Malala Yousafzai', 'Greta Thunberg',
  'Mother Teresa', 'Dalai Lama', 'Frida Kahlo', 'Claude Monet', 'Rembrandt', 'Salvador Dalí', 'Andy Warhol',
  'Che Guevara', 'Fidel Castro', 'Rishi Sunak', 'Keir Starmer', 'Boris Johnson', 'Justin Trudeau', 'Olaf Scholz',
  // Fiction, myth and works people ask about
  'Mona Lisa', 'Mr Darcy', 'Mr. Darcy', 'Elizabeth Bennet', 'Hamlet', 'Romeo', 'Juliet', 'Romeo and Juliet', 'Macbeth',
  'Frankenstein', 'Dracula', 'Gandalf', 'Frodo', 'Hermione', 'Dumbledore', 'Voldemort', 'Batman', 'Superman',
  'Spider-Man', 'Spiderman', 'Wonder Woman', 'Mickey Mouse', 'Mario', 'Zelda', 'Link', 'Pikachu', 'Darth Vader',
  'Luke Skywalker', 'Yoda', 'James Bond', 'Winnie the Pooh', 'Peter Pan', 'Cinderella', 'Snow White', 'Zeus', 'Thor',
];
